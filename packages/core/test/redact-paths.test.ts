import { describe, test } from 'vitest';
import suite from './runtime/redact-paths.suite.ts';

suite({ describe, test });
