import { describe, test } from 'vitest';
import suite from './runtime/level-environment.suite.ts';

suite({ describe, test });
