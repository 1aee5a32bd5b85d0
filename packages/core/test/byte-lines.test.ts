import { describe, test } from 'vitest';
import suite from './runtime/byte-lines.suite.ts';

suite({ describe, test });
