import { describe, test } from 'vitest';
import suite from './runtime/socket-sink.suite.ts';

suite({ describe, test });
