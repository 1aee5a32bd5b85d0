import { describe, test } from 'vitest';
import suite from './runtime/file-path.suite.ts';

suite({ describe, test });
