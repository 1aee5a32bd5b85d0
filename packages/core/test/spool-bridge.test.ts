import { describe, test } from 'vitest';
import suite from './runtime/spool-bridge.suite.ts';

suite({ describe, test });
