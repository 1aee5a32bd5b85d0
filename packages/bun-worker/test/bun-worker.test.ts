import { describe, test } from 'vitest';
import suite from './runtime/bun-worker.suite.ts';

suite({ describe, test });
