import { describe, test } from 'vitest';
import suite from './runtime/throttle.suite.ts';

suite({ describe, test });
