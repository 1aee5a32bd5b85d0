import { describe, test } from 'vitest';
import suite from './runtime/rotating-bytes.suite.ts';

suite({ describe, test });
