import { describe, test } from 'vitest';
import suite from './runtime/mapping.suite.ts';

suite({ describe, test });
