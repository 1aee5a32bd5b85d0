import { describe, test } from 'vitest';
import suite from './runtime/stop-producer.suite.ts';

suite({ describe, test });
