import { describe, test } from 'vitest';
import suite from './runtime/adapter-worker-parent.suite.ts';

suite({ describe, test });
