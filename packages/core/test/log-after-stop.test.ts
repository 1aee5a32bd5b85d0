import { describe, test } from 'vitest';
import suite from './runtime/log-after-stop.suite.ts';

suite({ describe, test });
