import { describe, test } from 'vitest';
import suite from './runtime/queue-listener.suite.ts';

suite({ describe, test });
