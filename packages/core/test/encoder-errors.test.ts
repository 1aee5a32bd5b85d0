import { describe, test } from 'vitest';
import suite from './runtime/encoder-errors.suite.ts';

suite({ describe, test });
