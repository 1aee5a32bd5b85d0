import { describe, test } from 'vitest';
import suite from './runtime/shared-memory-ring.suite.ts';

suite({ describe, test });
