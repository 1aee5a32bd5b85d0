import { describe, test } from 'vitest';
import suite from './runtime/producers.suite.ts';

suite({ describe, test });
