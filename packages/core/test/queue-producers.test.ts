import { describe, test } from 'vitest';
import suite from './runtime/queue-producers.suite.ts';

suite({ describe, test });
