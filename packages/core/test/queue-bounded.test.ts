import { describe, test } from 'vitest';
import suite from './runtime/queue-bounded.suite.ts';

suite({ describe, test });
