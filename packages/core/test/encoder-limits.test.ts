import { describe, test } from 'vitest';
import suite from './runtime/encoder-limits.suite.ts';

suite({ describe, test });
