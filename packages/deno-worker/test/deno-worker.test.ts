import { describe, test } from 'vitest';
import suite from './runtime/deno-worker.suite.ts';

suite({ describe, test });
