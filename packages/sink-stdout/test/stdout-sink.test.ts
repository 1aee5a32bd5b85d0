import { describe, test } from 'vitest';
import suite from './runtime/stdout-sink.suite.ts';

suite({ describe, test });
