import { describe, test } from 'vitest';
import suite from './runtime/spool.suite.ts';

suite({ describe, test });
