import { describe, test } from 'vitest';
import suite from './runtime/sized-queue.suite.ts';

suite({ describe, test });
