import { describe, test } from 'vitest';
import suite from './runtime/pretty-formatter.suite.ts';

suite({ describe, test });
