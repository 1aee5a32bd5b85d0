import { describe, test } from 'vitest';
import suite from './runtime/fields-provider.suite.ts';

suite({ describe, test });
