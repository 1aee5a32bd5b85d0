import { describe, test } from 'vitest';
import suite from './runtime/encoder-cache.suite.ts';

suite({ describe, test });
