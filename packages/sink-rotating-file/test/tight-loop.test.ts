import { describe, test } from 'vitest';
import suite from './runtime/tight-loop.suite.ts';

suite({ describe, test });
