import { join } from 'node:path';
import { stdoutSink } from '@tributary/sink-stdout';
import type { DemoSink } from '../types.ts';
import { readLines } from './read-lines.ts';

/** The stdout sink, JSON lines: the combination's standard output is captured to `stdout.log`. */
export const stdoutDemoSink: DemoSink = {
  name: 'stdout',
  async open() {
    const sink = stdoutSink();
    return { sink, close: async () => {} };
  },
  async readBack(dir) {
    return readLines(join(dir, 'stdout.log'));
  },
};
