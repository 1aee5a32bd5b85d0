/**
 * `file-threads-rotating`: N worker threads (@tributary/node-worker) log R records each to one
 * listener that writes them through the rotating file sink (10 MiB files). Every line of every file
 * is read back and each thread's sequence checked.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { startWorker } from '@tributary/node-worker';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import type { BenchResult, Scenario } from '../scenario.ts';

const workerScript = new URL('./file-threads-worker.js', import.meta.url);

export const fileThreadsRotating: Scenario = {
  name: 'file-threads-rotating',
  description: 'worker threads → one listener → rotating file sink (maxSize 10 MiB)',
  defaults: { records: 250_000, producers: 4 },
  async run(options) {
    const dir = join(options.outDir, 'tributary');
    const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize: 10 * 1024 * 1024, maxFiles: 10_000 });
    const listener = new QueueListener({ sinks: [sink] });
    const started = performance.now();
    const workers = Array.from({ length: options.producers }, (_, index) =>
      startWorker(listener, workerScript, { producer: `t${index + 1}`, workerData: { records: options.records } }),
    );
    await Promise.all(workers.map((worker) => worker.exited));
    await listener.stop();
    const seconds = (performance.now() - started) / 1000;
    const files = readdirSync(dir).sort((a, b) => order(b) - order(a));
    const check = checkOutput(files.flatMap((name) => splitLines(readFileSync(join(dir, name), 'utf8'))));
    const records = options.records * options.producers;
    const verified = check.records - check.duplicated;
    const result: BenchResult = {
      scenario: 'file-threads-rotating',
      tool: 'tributary (node-worker → rotating file)',
      records,
      verified,
      torn: check.torn,
      lost: records - verified + check.missing,
      seconds,
      peakRssMiB: process.memoryUsage().rss / 1024 / 1024,
      note: `${files.length} files, ${sink.stats.rotations} rotations${check.outOfOrder > 0 ? `, ${check.outOfOrder} out of order` : ''}`,
    };
    return [result];
  },
};

/** `app.log.N` sorts by N; `app.log` (0) is the newest. */
function order(name: string): number {
  const match = /\.(\d+)$/.exec(name);
  return match === null ? 0 : Number(match[1]);
}
