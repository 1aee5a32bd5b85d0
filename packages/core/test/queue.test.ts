import { describe, test } from 'vitest';
import suite from './runtime/queue.suite.ts';

suite({ describe, test });
