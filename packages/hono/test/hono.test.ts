import { describe, test } from 'vitest';
import suite from './runtime/hono.suite.ts';

suite({ describe, test });
