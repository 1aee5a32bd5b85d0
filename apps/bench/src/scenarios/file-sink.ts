/**
 * `file-sink`: the listener's side of writing a file, measured alone. Pre-encoded canonical lines
 * (as producers hand them over) are given to the sinks in the listener's batches of 4,096; every
 * output line is read back and checked. Tools: the plain file sink, the rotating file sink (10 MiB
 * files) and, as the ceiling, a hand-written loop of `fs.writeSync` calls with the same batches.
 */
import { closeSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RecordEncoder, entryFromLine } from '@tributary/core/adapter';
import type { LogEntry, Sink } from '@tributary/core';
import { batchOf } from '@tributary/core/sink';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';

const TOOLS = ['file-sink', 'rotating-file-sink', 'raw-writesync'] as const;
type Tool = (typeof TOOLS)[number];
const BATCH = 4_096;

export const fileSinkThroughput: Scenario = {
  name: 'file-sink',
  description: 'pre-encoded lines → file sink / rotating file sink (10 MiB) / raw fs.writeSync, batches of 4,096',
  defaults: { records: 2_000_000, producers: 1 },
  async run(options) {
    const tools = options.tools.length === 0 ? TOOLS : TOOLS.filter((tool) => options.tools.includes(tool));
    const batches = makeBatches(options);
    const results: BenchResult[] = [];
    for (const tool of tools) results.push(await runTool(tool, batches, options));
    return results;
  },
};

/** The workload's lines, encoded once up front: round-robin over `producers`, realistic ASCII fields. */
function makeBatches(options: ScenarioOptions): LogEntry[][] {
  const encoders = Array.from({ length: options.producers }, (_, index) => new RecordEncoder({ producer: `p${index + 1}`, pid: 4242 }));
  const name = encoders[0]?.quoteName('http') ?? '""';
  const batches: LogEntry[][] = [];
  let batch: LogEntry[] = [];
  for (let seq = 1; seq <= options.records; seq++) {
    for (const encoder of encoders) {
      const fields = { route: '/api/items', status: seq % 50 === 0 ? 500 : 200, ms: seq % 97, user: `u${seq % 1_000}` };
      batch.push(entryFromLine(encoder.encode('info', 'request handled', name, seq, '', fields), 'info'));
      if (batch.length === BATCH) {
        batches.push(batch);
        batch = [];
      }
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

async function runTool(tool: Tool, batches: readonly LogEntry[][], options: ScenarioOptions): Promise<BenchResult> {
  const dir = join(options.outDir, tool);
  const path = join(dir, 'app.log');
  const started = performance.now();
  if (tool === 'raw-writesync') {
    (await import('node:fs')).mkdirSync(dir, { recursive: true });
    const fd = openSync(path, 'a', 0o640);
    for (const batch of batches) {
      let text = '';
      for (const entry of batch) text += `${entry.line}\n`;
      writeSync(fd, text);
    }
    closeSync(fd);
  } else {
    const sink: Sink = tool === 'file-sink' ? fileSink({ path }) : rotatingFileSink({ path, maxSize: 10 * 1024 * 1024, maxFiles: 10_000 });
    for (const batch of batches) {
      const pending = sink.write(batchOf(batch));
      if (pending !== undefined) await pending;
    }
    await sink.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const lines = readdirSync(dir)
    .sort((a, b) => order(b) - order(a))
    .flatMap((name) => splitLines(readFileSync(join(dir, name), 'utf8')));
  const check = checkOutput(lines);
  const records = options.records * options.producers;
  return {
    scenario: 'file-sink',
    tool,
    records,
    verified: check.records - check.duplicated,
    torn: check.torn,
    lost: records - (check.records - check.duplicated) + check.missing,
    seconds,
    peakRssMiB: process.memoryUsage().rss / 1024 / 1024,
    note: tool === 'rotating-file-sink' ? `${readdirSync(dir).length} files` : check.outOfOrder > 0 ? `${check.outOfOrder} out of order` : '',
  };
}

/** `app.log.N` sorts by N (oldest first when sorted descending); `app.log` is 0, the newest. */
function order(name: string): number {
  const match = /\.(\d+)$/.exec(name);
  return match === null ? 0 : Number(match[1]);
}
