import { join } from 'node:path';
import { fileSink } from '@tributary/sink-file';
import type { DemoSink } from '../types.ts';
import { readLines } from './read-lines.ts';

/** The plain file sink: every producer's records in `app.log`. */
export const fileDemoSink: DemoSink = {
  name: 'file',
  async open(spec) {
    const sink = fileSink({ path: join(spec.dir, 'app.log') });
    return { sink, close: async () => {} };
  },
  async readBack(dir) {
    return readLines(join(dir, 'app.log'));
  },
};
