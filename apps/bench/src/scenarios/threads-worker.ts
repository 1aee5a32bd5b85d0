/**
 * The worker side of the `threads-to-file` scenario: waits for `go`, logs `records` records through
 * the tool under test, measures the time of the logging loop, and ends. Two hand-written loops, no
 * library: `limit` (the honest limit of issue 19: Tributary's line built with `Date.now()`,
 * `JSON.stringify` and concatenation, ONE string per 256 lines per `postMessage`) and `old-loop`
 * (the bench's first baseline: an array of 256 strings per message, `toISOString` per record).
 * The other loggers (pino, winston, log4js, LogTape) are set up by their modules in `peers/`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LimitLines, LineBatcher } from './limit-line.ts';
import type { Job, Logged, PeerLogger } from './peers/peer.ts';

const job = workerData as Job;
const port = parentPort;
if (port === null) throw new Error('threads-worker runs in a worker thread');

// Module name in a variable: the bench builds without @tributary/node-worker's types as a dependency.
const NODE_WORKER = '@tributary/node-worker';

/** The other loggers, each set up in its own module under `peers/`. */
const peers: Record<string, () => Promise<PeerLogger>> = {
  pino: async () => (await import('./peers/pino.ts')).pinoPeer(job),
  winston: async () => (await import('./peers/winston.ts')).winstonPeer(job),
  log4js: async () => (await import('./peers/log4js.ts')).log4jsPeer(job),
  logtape: async () => (await import('./peers/logtape.ts')).logtapePeer(job, false),
  'logtape-nonblocking': async () => (await import('./peers/logtape.ts')).logtapePeer(job, true),
};

let log: Logged;
let finish: () => Promise<void> = async () => {};
if (job.tool === 'tributary') {
  const { workerLogger, closeWorkerLogger } = (await import(NODE_WORKER)) as {
    workerLogger(): { info(msg: string, fields: object): void };
    closeWorkerLogger(): Promise<void>;
  };
  const logger = workerLogger();
  log = { info: (fields, msg) => logger.info(msg, fields) };
  finish = closeWorkerLogger;
} else if (job.tool === 'limit') {
  // The honest limit: Tributary's line, 256 lines per string, one string per message.
  let seq = 0;
  const lines = new LimitLines({ logger: '', producer: job.producer, pid: process.pid });
  const batcher = new LineBatcher((text) => port.postMessage(text));
  log = { info: (fields, msg) => batcher.add(lines.line(msg, ++seq, fields)) };
  finish = async () => batcher.flush();
} else if (job.tool === 'old-loop') {
  // The bench's first loop: one JSON line per record, an array of 256 lines per message.
  let seq = 0;
  let batch: string[] = [];
  log = {
    info: (fields, msg) => {
      batch.push(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg, producer: job.producer, seq: ++seq, pid: process.pid, ...fields }));
      if (batch.length === 256) {
        port.postMessage({ lines: batch });
        batch = [];
      }
    },
  };
  finish = async () => {
    if (batch.length > 0) port.postMessage({ lines: batch });
    batch = [];
  };
} else {
  const setup = peers[job.tool];
  if (setup === undefined) throw new Error(`threads-worker: unknown tool ${job.tool}`);
  ({ log, finish } = await setup());
}

await new Promise<void>((resolve) => {
  port.once('message', () => resolve());
  port.postMessage({ ready: true });
});
// Timed in chunks of 1,000 calls: on a loaded machine the thread is often descheduled, so besides
// the mean the worker reports the 10th percentile of the chunks (the cost when it had a core).
const CHUNK = 1_000;
const chunks: number[] = [];
const started = performance.now();
let chunkStart = started;
for (let n = 1; n <= job.records; n++) {
  log.info({ n, user: 'alice', path: '/api/items', status: 200 }, 'request handled');
  if (n % CHUNK === 0) {
    const now = performance.now();
    chunks.push(now - chunkStart);
    chunkStart = now;
  }
}
const elapsed = performance.now() - started;
chunks.sort((a, b) => a - b);
const p10 = chunks.length === 0 ? elapsed / job.records : (chunks[Math.floor(chunks.length / 10)] as number) / CHUNK;
port.postMessage({ nsPerCall: (elapsed * 1e6) / job.records, nsPerCallP10: p10 * 1e6 });
await finish();
