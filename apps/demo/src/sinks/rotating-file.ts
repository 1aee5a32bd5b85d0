import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { splitLines } from '@tributary/core/testing';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import type { DemoSink } from '../types.ts';

/** Rotation size the demo uses: small, so every run rotates many times. */
const MAX_SIZE = 1024 * 1024;

/**
 * The rotating file sink at 1 MiB, rotated files gzipped, all kept: `app.log` is current, then
 * `app.log.1`, `app.log.2.gz`, … (logrotate's names). Read back oldest first.
 */
export const rotatingFileDemoSink: DemoSink = {
  name: 'rotating-file',
  async open(spec) {
    const sink = rotatingFileSink({ path: join(spec.dir, 'app.log'), maxSize: MAX_SIZE, maxFiles: 10_000, compress: true });
    return { sink, close: async () => {} };
  },
  async readBack(dir) {
    const backups = readdirSync(dir)
      .map((name) => ({ name, number: /^app\.log\.(\d+)(\.gz)?$/.exec(name) }))
      .filter((file): file is { name: string; number: RegExpExecArray } => file.number !== null)
      .sort((a, b) => Number(b.number[1]) - Number(a.number[1]));
    const lines: string[] = [];
    for (const { name } of [...backups, { name: 'app.log' }]) {
      let content: Buffer;
      try {
        content = readFileSync(join(dir, name));
      } catch {
        continue;
      }
      lines.push(...splitLines((name.endsWith('.gz') ? gunzipSync(content) : content).toString('utf8')));
    }
    return lines;
  },
};
