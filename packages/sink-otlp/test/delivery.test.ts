import { describe, test } from 'vitest';
import suite from './runtime/delivery.suite.ts';

suite({ describe, test });
