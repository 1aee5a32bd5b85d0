import { describe, test } from 'vitest';
import suite from './runtime/host.suite.ts';

suite({ describe, test });
