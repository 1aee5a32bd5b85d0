import { describe, test } from 'vitest';
import suite from './runtime/memory-sink.suite.ts';

suite({ describe, test });
