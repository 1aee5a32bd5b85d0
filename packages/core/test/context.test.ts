import { describe, test } from 'vitest';
import suite from './runtime/context.suite.ts';

suite({ describe, test });
