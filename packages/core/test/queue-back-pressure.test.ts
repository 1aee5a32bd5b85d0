import { describe, test } from 'vitest';
import suite from './runtime/queue-back-pressure.suite.ts';

suite({ describe, test });
