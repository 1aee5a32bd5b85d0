import { describe, test } from 'vitest';
import suite from './runtime/logger.suite.ts';

suite({ describe, test });
