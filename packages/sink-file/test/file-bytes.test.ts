import { describe, test } from 'vitest';
import suite from './runtime/file-bytes.suite.ts';

suite({ describe, test });
