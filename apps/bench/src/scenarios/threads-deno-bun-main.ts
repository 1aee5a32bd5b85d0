/**
 * The main thread of the `threads-deno-bun` scenario, run by Deno or Bun (not Node): one listener
 * with @tributary/sink-file on this runtime's main thread, N workers started with the runtime's
 * adapter, each logging `warmup` records before the clock starts (written and confirmed) and then M
 * records. Prints one JSON line: timings and the listener's counts. The Node side reads the file
 * back and checks every line.
 *
 *   deno run -A threads-deno-bun-main.js '{"records":250000,"warmup":250000,"producers":4,"file":"/tmp/x.jsonl"}'
 *   bun threads-deno-bun-main.js '{…}'
 */
import { QueueListener } from '@tributary/core';
import { cpuBetween, threadCpu } from './thread-cpu.ts';

interface Job {
  readonly records: number;
  /** Records per worker logged and written before the clock starts (default 0). */
  readonly warmup?: number;
  readonly producers: number;
  readonly file: string;
  /**
   * Run a hand-written loop instead: `limit` (one string per 256 lines per postMessage) or `old-loop`
   * (an array of 256 lines per postMessage), each message appended with writeSync.
   */
  readonly loop?: 'limit' | 'old-loop';
}
interface ConnectedWorker {
  readonly worker: {
    postMessage(message: unknown): void;
    addEventListener(type: 'message', listener: (event: { readonly data: Record<string, number | boolean> }) => void): void;
  };
  readonly exited: Promise<unknown>;
}
interface ParentAdapter {
  startWorker(listener: QueueListener, url: URL, options: { producer: string }): ConnectedWorker;
}
interface FileSinkModule {
  fileSink(options: { path: string }): ConstructorParameters<typeof QueueListener>[0]['sinks'][number];
}

const host = globalThis as unknown as { Deno?: { args: string[] }; process: { pid: number; argv: string[]; memoryUsage(): { rss: number } } };
const onDeno = host.Deno !== undefined;
const job = JSON.parse(onDeno ? (host.Deno?.args[0] ?? '') : (host.process.argv[2] ?? '')) as Job;
// Module names in variables: the bench builds without these packages' types being its dependencies.
const adapterName = onDeno ? '@tributary/deno-worker' : '@tributary/bun-worker';
const sinkName = '@tributary/sink-file';
const { startWorker } = (await import(adapterName)) as ParentAdapter;
const { fileSink } = (await import(sinkName)) as FileSinkModule;

const script = new URL('./threads-deno-bun-worker.js', import.meta.url);
const warmup = job.warmup ?? 0;

/** Resolves with the first value a worker posts under `key`. */
function message(worker: ConnectedWorker['worker'], key: string): Promise<number | boolean> {
  return new Promise((resolve) => {
    worker.addEventListener('message', (event) => {
      // The limit loop's batches are strings: only objects carry keys.
      if (typeof event.data === 'object' && event.data !== null && key in event.data) resolve(event.data[key] as number | boolean);
    });
  });
}

/** Has every worker log `warmup` records (`extra` is added to the message) and waits until they are written. */
async function warmUp(workers: readonly ConnectedWorker['worker'][], extra: (index: number) => object): Promise<void> {
  if (warmup === 0) return;
  const warmed = workers.map((worker) => message(worker, 'warmedUp'));
  workers.forEach((worker, index) => worker.postMessage({ records: warmup, warmup: true, ...extra(index) }));
  await Promise.all(warmed);
}
if (job.loop !== undefined) await runLoop(job.loop);

/** A hand-written loop on this runtime: plain Workers, 256 lines per message, writeSync. */
async function runLoop(loop: 'limit' | 'old-loop'): Promise<void> {
  const { openSync, writeSync, closeSync } = (await import('node:fs')) as typeof import('node:fs');
  const fd = openSync(job.file, 'a');
  const WorkerClass = (globalThis as unknown as { Worker: new (url: URL, options: object) => ConnectedWorker['worker'] & { terminate(): void } }).Worker;
  const plain = Array.from({ length: job.producers }, () => new WorkerClass(script, { type: 'module' }));
  await Promise.all(plain.map((worker) => message(worker, 'ready')));
  for (const worker of plain) {
    worker.addEventListener('message', (event) => {
      const data = event.data as unknown;
      if (typeof data === 'string') writeSync(fd, data);
      else {
        const lines = (data as { lines?: string[] }).lines;
        if (lines !== undefined) writeSync(fd, `${lines.join('\n')}\n`);
      }
    });
  }
  const loopJob = (index: number): object => ({ loop, producer: `w${index + 1}`, pid: host.process.pid });
  await warmUp(plain, loopJob);
  const done = plain.map((worker) => message(worker, 'nsPerCall'));
  const cpuAtStart = threadCpu(host.process.pid);
  const started = performance.now();
  plain.forEach((worker, index) => worker.postMessage({ records: job.records, ...loopJob(index) }));
  const nsPerCall = (await Promise.all(done)).reduce((sum: number, value) => sum + Number(value), 0) / plain.length;
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBetween(cpuAtStart, threadCpu(host.process.pid));
  closeSync(fd);
  for (const worker of plain) worker.terminate();
  console.log(
    JSON.stringify({
      seconds,
      nsPerCall,
      received: (warmup + job.records) * job.producers,
      lost: 0,
      peakRssMiB: host.process.memoryUsage().rss / 1024 / 1024,
      cpu,
    }),
  );
  (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(0);
}

const listener = new QueueListener({ sinks: [fileSink({ path: job.file })] });
const workers = Array.from({ length: job.producers }, (_, index) => startWorker(listener, script, { producer: `w${index + 1}` }));
await Promise.all(workers.map((connected) => message(connected.worker, 'ready')));
await warmUp(
  workers.map((connected) => connected.worker),
  () => ({}),
);
const perCall = workers.map((connected) => message(connected.worker, 'nsPerCall'));
let peakRss = host.process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, host.process.memoryUsage().rss);
}, 50);
const cpuAtStart = threadCpu(host.process.pid);
const started = performance.now();
for (const connected of workers) connected.worker.postMessage({ records: job.records });
const nsPerCall = (await Promise.all(perCall)).reduce((sum: number, value) => sum + Number(value), 0) / workers.length;
await Promise.all(workers.map((connected) => connected.exited));
const summary = await listener.stop();
const seconds = (performance.now() - started) / 1000;
const cpu = cpuBetween(cpuAtStart, threadCpu(host.process.pid));
clearInterval(sampler);
console.log(JSON.stringify({ seconds, nsPerCall, received: summary.received, lost: summary.lost, peakRssMiB: peakRss / 1024 / 1024, cpu }));
