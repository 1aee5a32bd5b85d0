import { describe, test } from 'vitest';
import suite from './runtime/log-checker.suite.ts';

suite({ describe, test });
