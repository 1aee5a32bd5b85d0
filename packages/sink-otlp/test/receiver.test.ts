import { describe, test } from 'vitest';
import suite from './runtime/receiver.suite.ts';

suite({ describe, test });
