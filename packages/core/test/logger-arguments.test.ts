import { describe, test } from 'vitest';
import suite from './runtime/logger-arguments.suite.ts';

suite({ describe, test });
