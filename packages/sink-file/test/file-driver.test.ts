import { describe, test } from 'vitest';
import suite from './runtime/file-driver.suite.ts';

suite({ describe, test });
