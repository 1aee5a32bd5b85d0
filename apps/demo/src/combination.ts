/**
 * Runs ONE adapter × sink combination in this process (Node, Deno or Bun, as the adapter needs):
 * opens the sink, starts a listener, runs the producers, stops the listener, and writes
 * `result.json` in the combination's folder. The orchestrator (cli.ts) starts one of these per
 * combination; with the stdout sink, this process's standard output is the file `stdout.log`.
 *
 *   node dist/combination.js '<spec as JSON>'
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { demoAdapters } from './adapters/index.ts';
import { demoSinks } from './sinks/index.ts';
import type { CombinationResult, CombinationSpec } from './types.ts';

const spec = JSON.parse(process.argv[2] ?? '{}') as CombinationSpec;
const adapter = demoAdapters.find((candidate) => candidate.name === spec.adapter);
const demoSink = demoSinks.find((candidate) => candidate.name === spec.sink);
if (adapter === undefined || demoSink === undefined) {
  process.stderr.write(`unknown combination ${spec.adapter} × ${spec.sink}\n`);
  process.exit(2);
}

const opened = await demoSink.open(spec);
const listener = new QueueListener({
  sinks: [opened.sink],
  ...(opened.stopTimeoutMs === undefined ? {} : { stopTimeout: opened.stopTimeoutMs }),
  onReport: (report) => process.stderr.write(`REPORT ${report.message}\n`),
});
let lastProgress = 0;
const started = performance.now();
const producers = await adapter.run(listener, spec, (logged) => {
  const now = performance.now();
  if (now - lastProgress > 200) {
    lastProgress = now;
    process.stderr.write(`PROGRESS ${logged}\n`);
  }
});
const summary = await listener.stop();
const seconds = (performance.now() - started) / 1000;
await opened.close();

const runtime =
  typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ? 'deno' : typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined' ? 'bun' : 'node';
const result: CombinationResult = {
  spec,
  runtime,
  producers,
  seconds,
  listener: { received: summary.received, lost: summary.lost, timedOut: summary.timedOut },
};
writeFileSync(join(spec.dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`);
