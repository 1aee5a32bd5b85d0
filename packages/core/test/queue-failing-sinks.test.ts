import { describe, test } from 'vitest';
import suite from './runtime/queue-failing-sinks.suite.ts';

suite({ describe, test });
