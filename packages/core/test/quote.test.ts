import { describe, test } from 'vitest';
import suite from './runtime/quote.suite.ts';

suite({ describe, test });
