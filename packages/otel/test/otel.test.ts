import { describe, test } from 'vitest';
import suite from './runtime/otel.suite.ts';

suite({ describe, test });
