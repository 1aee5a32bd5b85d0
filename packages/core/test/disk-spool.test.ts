import { describe, test } from 'vitest';
import suite from './runtime/disk-spool.suite.ts';

suite({ describe, test });
