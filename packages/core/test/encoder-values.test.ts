import { describe, test } from 'vitest';
import suite from './runtime/encoder-values.suite.ts';

suite({ describe, test });
