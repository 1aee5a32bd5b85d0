import { describe, test } from 'vitest';
import suite from './runtime/conformance.suite.ts';

suite({ describe, test });
