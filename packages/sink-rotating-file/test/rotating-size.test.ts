import { describe, test } from 'vitest';
import suite from './runtime/rotating-size.suite.ts';

suite({ describe, test });
