import { describe, test } from 'vitest';
import suite from './runtime/file-sink.suite.ts';

suite({ describe, test });
