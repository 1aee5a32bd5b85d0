import { describe, test } from 'vitest';
import suite from './runtime/stdout-bytes.suite.ts';

suite({ describe, test });
