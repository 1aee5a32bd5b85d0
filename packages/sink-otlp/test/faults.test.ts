import { describe, test } from 'vitest';
import suite from './runtime/faults.suite.ts';

suite({ describe, test });
