import { describe, test } from 'vitest';
import suite from './runtime/worker-buffer.suite.ts';

suite({ describe, test });
