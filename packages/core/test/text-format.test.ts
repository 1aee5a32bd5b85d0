import { describe, test } from 'vitest';
import suite from './runtime/text-format.suite.ts';

suite({ describe, test });
