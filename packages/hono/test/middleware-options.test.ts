import { describe, test } from 'vitest';
import suite from './runtime/middleware-options.suite.ts';

suite({ describe, test });
