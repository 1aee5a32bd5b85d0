import { describe, test } from 'vitest';
import suite from './runtime/accept.suite.ts';

suite({ describe, test });
