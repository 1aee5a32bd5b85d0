import { describe, test } from 'vitest';
import suite from './runtime/encoder.suite.ts';

suite({ describe, test });
