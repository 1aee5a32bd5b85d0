import { describe, test } from 'vitest';
import suite from './runtime/collector.suite.ts';

suite({ describe, test });
