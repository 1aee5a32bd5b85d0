import { describe, test } from 'vitest';
import sendSinkSuite from './send-sink.suite.ts';

sendSinkSuite({ describe, test });
