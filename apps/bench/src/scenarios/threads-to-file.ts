import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { QueueListener } from '@tributary/core';
import { checkOutput, splitLines } from '@tributary/core/testing';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';
import { sampleLine } from '../line-shape.ts';
import { checkPeerOutput } from './peer-check.ts';
import { minimalFileSink } from './threads-file-sink.ts';

interface NodeWorkerModule {
  startWorker(listener: QueueListener, filename: URL, options: object): { worker: Worker; exited: Promise<number> };
}

/** Module name in a variable: the bench builds without @tributary/node-worker's types as a dependency. */
const NODE_WORKER = '@tributary/node-worker';
const workerScript = new URL('./threads-worker.js', import.meta.url);

/**
 * The other loggers, each the way its users log from worker threads to one shared file: every
 * worker sets the library up with its own file transport on the same file (see `peers/`). `tool`
 * is the `--tools` name; one tool may run several rows.
 */
const PEERS: Readonly<Record<string, readonly { workerTool: string; label: string; note: string }[]>> = {
  pino: [
    { workerTool: 'pino', label: 'pino.transport per worker', note: 'each worker: pino(pino.transport({ target: "pino/file" })) appending to the same file' },
  ],
  winston: [
    {
      workerTool: 'winston',
      label: 'winston transports.File per worker',
      note: 'each worker: createLogger({ format: timestamp+json, transports: [new transports.File()] }); end: logger.end() + "finish"',
    },
  ],
  log4js: [
    {
      workerTool: 'log4js',
      label: 'log4js file appender per worker',
      note: 'each worker: configure({ appenders: { type: "file", layout: json via addLayout } }); end: log4js.shutdown(cb)',
    },
  ],
  logtape: [
    {
      workerTool: 'logtape',
      label: 'LogTape getFileSink per worker',
      note: 'each worker: configure({ sinks: getFileSink() from @logtape/file, defaults, JSON lines }); end: await dispose()',
    },
    { workerTool: 'logtape-nonblocking', label: 'LogTape getFileSink nonBlocking', note: 'as above with nonBlocking: true; end: await dispose()' },
  ],
};
const TOOLS = ['old-loop', 'limit', 'tributary', ...Object.keys(PEERS)];

/**
 * `threads-to-file`: N worker threads × M records → one listener → one JSON-lines file, every line
 * read back and checked. Also (default: all; `--tools` picks) the hand-written `limit` loop (the
 * honest limit Tributary's ratio is taken against), the bench's `old-loop`, and the other loggers
 * (`pino`, `winston`, `log4js`, `logtape`), each worker with the library's own file transport.
 */
export const threadsToFile: Scenario = {
  name: 'threads-to-file',
  description: 'worker threads log JSON records to one file through one listener; every line verified',
  defaults: { records: 250_000, producers: 4 },
  async run(options: ScenarioOptions): Promise<BenchResult[]> {
    const tools = options.tools.length === 0 ? TOOLS : options.tools;
    const results: BenchResult[] = [];
    for (const tool of tools) {
      if (tool === 'tributary') {
        results.push(await runTributary(options));
        // The cost of a call alone: rings big enough that no worker ever waits for the listener.
        const records = Math.min(options.records, 50_000);
        results.push(await runTributary({ ...options, records }, 32 * 1024 * 1024));
      } else if (tool === 'limit' || tool === 'old-loop') results.push(await runLoop(options, tool));
      else if (PEERS[tool] !== undefined) for (const peer of PEERS[tool]) results.push(await runPeer(options, peer));
      else throw new Error(`threads-to-file: unknown tool ${tool}; known: ${TOOLS.join(', ')}`);
    }
    return results;
  },
};

async function runTributary(options: ScenarioOptions, ringBytes?: number): Promise<BenchResult> {
  const { startWorker } = (await import(NODE_WORKER)) as NodeWorkerModule;
  const file = join(options.outDir, ringBytes === undefined ? 'tributary.jsonl' : 'tributary-big-rings.jsonl');
  const listener = new QueueListener({ sinks: [minimalFileSink(file)] });
  const workers = Array.from({ length: options.producers }, (_, index) =>
    startWorker(listener, workerScript, {
      producer: `w${index + 1}`,
      ...(ringBytes === undefined ? {} : { ringBytes }),
      workerData: { tool: 'tributary', records: options.records, file, producer: `w${index + 1}` },
    }),
  );
  const { started, perCall, meanWall, cpu } = await runWorkers(workers.map((item) => item.worker));
  await Promise.all(workers.map((item) => item.exited));
  const summary = await listener.stop();
  const seconds = (performance.now() - started) / 1000;
  const use = cpuUse(cpu, seconds, options.producers * options.records);
  const text = readFileSync(file, 'utf8');
  const verified = verifiedRecords(text, options);
  const line = sampleLine(text, 'w1');
  return {
    scenario: 'threads-to-file',
    tool: ringBytes === undefined ? 'tributary (node-worker ring)' : `tributary, ${ringBytes / 1024 / 1024} MiB rings (call cost)`,
    ...(ringBytes === undefined ? { comparedWith: LOOPS.limit.label } : {}),
    records: options.producers * options.records,
    verified: verified.count,
    torn: verified.torn,
    lost: options.producers * options.records - verified.count,
    seconds,
    nsPerCall: perCall,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    note: `listener received ${summary.received}, reported lost ${summary.lost}; mean wall ns/call ${Math.round(meanWall)}; ${use}`,
    ...(line === undefined ? {} : { sampleLine: line }),
  };
}

/** How long a peer may take before its workers are terminated and the run reported as timed out. */
function peerTimeoutMs(options: ScenarioOptions): number {
  return Math.max(60_000, options.producers * options.records * 0.5);
}

/**
 * One of the other loggers: each worker sets the library up (`peers/`), logs, finishes the documented
 * way and exits; then the file is read back (`checkPeerOutput`). A worker that throws is reported in
 * the note; a run that has not ended after `peerTimeoutMs` has its workers terminated and is
 * reported as timed out, with whatever reached the file counted.
 */
async function runPeer(options: ScenarioOptions, peer: { workerTool: string; label: string; note: string }): Promise<BenchResult> {
  const { Worker } = await import('node:worker_threads');
  const file = join(options.outDir, `${peer.workerTool}.jsonl`);
  const rssBefore = process.resourceUsage().maxRSS;
  const began = performance.now();
  const workers = Array.from(
    { length: options.producers },
    (_, index) => new Worker(workerScript, { workerData: { tool: peer.workerTool, records: options.records, file, producer: `w${index + 1}` } }),
  );
  const errors: string[] = [];
  for (const worker of workers) worker.on('error', (error: Error) => errors.push(error.message));
  const exits = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  const timeout = peerTimeoutMs(options);
  let timer: NodeJS.Timeout | undefined;
  const run = (async () => {
    const times = await runWorkers(workers);
    await Promise.all(exits);
    return times;
  })();
  const outcome = await Promise.race([run, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeout)))]);
  clearTimeout(timer);
  if (outcome === 'timeout') await Promise.all(workers.map((worker) => worker.terminate()));
  const ended = performance.now();
  const check = checkPeerOutput(file);
  const records = options.producers * options.records;
  const notes = [peer.note];
  if (outcome === 'timeout') notes.push(`TIMED OUT after ${timeout / 1000} s, workers terminated`);
  else notes.push(`mean wall ns/call ${Math.round(outcome.meanWall)}`, cpuUse(outcome.cpu, (ended - outcome.started) / 1000, records));
  if (errors.length > 0) notes.push(`${errors.length} worker error(s): ${[...new Set(errors)].join('; ')}`);
  return {
    scenario: 'threads-to-file',
    tool: peer.label,
    records,
    verified: check.verified,
    torn: check.torn,
    lost: records - check.verified,
    seconds: (ended - (outcome === 'timeout' ? began : outcome.started)) / 1000,
    ...(outcome === 'timeout' || Number.isNaN(outcome.perCall) ? {} : { nsPerCall: outcome.perCall }),
    peakRssMiB: Math.max(rssBefore, process.resourceUsage().maxRSS) / 1024,
    note: notes.join('; '),
  };
}

/** The two hand-written loops (no library), as `--tools` names them and as their rows are labelled. */
export const LOOPS = {
  limit: {
    label: 'limit loop (one string per 256 lines)',
    note: "Tributary's line by Date.now() + JSON.stringify + concatenation, one string per 256 lines per postMessage, one writeSync per message",
  },
  'old-loop': {
    label: 'old loop (string[] per postMessage)',
    note: 'the first baseline: JSON.stringify of a spread object with toISOString per record, an array of 256 lines per postMessage (structured clone), join + writeSync per message',
  },
} as const;

/**
 * A hand-written loop: each worker sends its lines 256 at a time (`limit`: one string; `old-loop`:
 * an array of strings); the main thread appends each message with one `writeSync`. The clock is
 * started as for Tributary (all workers ready, then `go`) and the file is read back the same way.
 */
async function runLoop(options: ScenarioOptions, loop: keyof typeof LOOPS): Promise<BenchResult> {
  const { Worker } = await import('node:worker_threads');
  const file = join(options.outDir, `${loop}.jsonl`);
  const fd = openSync(file, 'a');
  const workers = Array.from(
    { length: options.producers },
    (_, index) => new Worker(workerScript, { workerData: { tool: loop, records: options.records, file, producer: `w${index + 1}` } }),
  );
  for (const worker of workers) {
    worker.on('message', (message: string | { lines?: string[] }) => {
      if (typeof message === 'string') writeSync(fd, message);
      else if (message.lines !== undefined) writeSync(fd, `${message.lines.join('\n')}\n`);
    });
  }
  const exits = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  const { started, perCall, meanWall, cpu } = await runWorkers(workers);
  await Promise.all(exits);
  const seconds = (performance.now() - started) / 1000;
  const use = cpuUse(cpu, seconds, options.producers * options.records);
  closeSync(fd);
  const text = readFileSync(file, 'utf8');
  const verified = verifiedRecords(text, options);
  const line = sampleLine(text, 'w1');
  return {
    scenario: 'threads-to-file',
    tool: LOOPS[loop].label,
    records: options.producers * options.records,
    verified: verified.count,
    torn: verified.torn,
    lost: options.producers * options.records - verified.count,
    seconds,
    nsPerCall: perCall,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    note: `${LOOPS[loop].note}; mean wall ns/call ${Math.round(meanWall)}; ${use}`,
    ...(line === undefined ? {} : { sampleLine: line }),
  };
}

/** Records of producers w1…wN whose whole sequence is there once and in order, and the torn lines. */
function verifiedRecords(text: string, options: ScenarioOptions): { count: number; torn: number } {
  const check = checkOutput(splitLines(text));
  let count = 0;
  for (let index = 1; index <= options.producers; index++) {
    const producer = check.producers.get(`w${index}`);
    if (producer !== undefined && producer.missing === 0 && producer.duplicated === 0 && producer.outOfOrder === 0) count += producer.count;
  }
  return { count, torn: check.torn };
}

/**
 * How busy the whole process (every thread) was since `cpu` was taken, `seconds` ago: cores kept
 * busy on average, and CPU time per record. CPU per record is the steadier figure on a shared machine.
 */
function cpuUse(cpu: NodeJS.CpuUsage, seconds: number, records: number): string {
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  return `${(cpuSeconds / seconds).toFixed(2)} cores busy, ${((cpuSeconds * 1e6) / records).toFixed(2)} µs CPU per record`;
}

interface CallTimes {
  readonly nsPerCall: number;
  readonly nsPerCallP10: number;
}

/**
 * Waits until every worker is ready, starts them together, and collects their per-call times:
 * `perCall` is the mean over workers of their 10th-percentile 1,000-call chunk, `meanWall` the
 * plain mean (wall time of the loop / records, which includes time the thread was descheduled).
 */
async function runWorkers(workers: readonly Worker[]): Promise<{ started: number; perCall: number; meanWall: number; cpu: NodeJS.CpuUsage }> {
  // A worker that exits (e.g. throws) before it is ready or before it reports its times counts as
  // ready / reports no times, so one failing worker does not stall the run.
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once('message', () => resolve());
          worker.once('exit', () => resolve());
        }),
    ),
  );
  const times = workers.map(
    (worker) =>
      new Promise<CallTimes>((resolve) => {
        const onMessage = (message: Partial<CallTimes>): void => {
          if (typeof message.nsPerCall !== 'number') return;
          worker.off('message', onMessage);
          resolve(message as CallTimes);
        };
        worker.on('message', onMessage);
        worker.once('exit', () => resolve({ nsPerCall: Number.NaN, nsPerCallP10: Number.NaN }));
      }),
  );
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const worker of workers) worker.postMessage('go');
  const all = (await Promise.all(times)).filter((item) => !Number.isNaN(item.nsPerCall));
  const mean = (pick: (times: CallTimes) => number): number => all.reduce((sum, item) => sum + pick(item), 0) / all.length;
  return { started, perCall: mean((item) => item.nsPerCallP10), meanWall: mean((item) => item.nsPerCall), cpu };
}
