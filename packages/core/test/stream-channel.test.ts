import { describe, test } from 'vitest';
import suite from './runtime/stream-channel.suite.ts';

suite({ describe, test });
