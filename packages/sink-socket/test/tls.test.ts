import { describe, test } from 'vitest';
import suite from './runtime/tls.suite.ts';

suite({ describe, test });
