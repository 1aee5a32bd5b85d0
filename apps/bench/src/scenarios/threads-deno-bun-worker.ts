/**
 * The worker side of the `threads-deno-bun` scenario, run by Deno or Bun: connects with the
 * runtime's adapter, logs `warmup` records when asked (and says so once the listener has written
 * them), waits for `go`, logs `records` records, reports the time per call, closes its logger and
 * ends. With `loop` set it is a hand-written loop instead, no library: `limit` (the honest limit:
 * Tributary's line by `Date.now()`, `JSON.stringify` and concatenation, one string per 256 lines per
 * `postMessage`) or `old-loop` (the bench's first: an array of 256 strings, `toISOString` per record).
 */
import { LimitLines, LineBatcher } from './limit-line.ts';

interface Job {
  /** Records to log now: the warm-up when `warmup` is true, else the measured run. */
  readonly records: number;
  readonly warmup?: boolean;
  readonly loop?: 'limit' | 'old-loop';
  readonly producer?: string;
  /** The process id (the main thread's: Workers share it), for the limit loop's lines. */
  readonly pid?: number;
}
interface WorkerAdapter {
  workerLogger(options?: object): { info(msg: string, fields: object): void; flush(): Promise<boolean> };
  closeWorkerLogger(): Promise<void>;
}
interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: { readonly data: Job }) => void) | null;
}

const scope = globalThis as unknown as WorkerScope;
const onDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
// Module names in variables: the bench builds without the adapters' types being its dependencies.
const adapterName = onDeno ? '@tributary/deno-worker' : '@tributary/bun-worker';
const end = (): void => {
  if (onDeno) (globalThis as unknown as { close(): void }).close();
  else (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(0);
};
const { workerLogger, closeWorkerLogger } = (await import(adapterName)) as WorkerAdapter;
// (A hand-written loop's worker gets no ring: its logger just stays unconnected and unused.)
const logger = workerLogger();
/** A loop's records posted so far (warm-up included): they are numbered on from it. */
let logged = 0;
let limitLines: LimitLines | undefined;
const batcher = new LineBatcher((text) => scope.postMessage(text));

/** The limit loop: Tributary's line, one string per 256 lines. */
function runLimit(job: Job): void {
  limitLines ??= new LimitLines({ logger: '', producer: job.producer ?? '', pid: job.pid ?? 0 });
  const started = performance.now();
  const last = logged + job.records;
  for (let n = logged + 1; n <= last; n++) batcher.add(limitLines.line('request handled', n, { n, user: 'alice', path: '/api/items', status: 200 }));
  batcher.flush();
  logged = last;
  // Messages arrive in order: once the parent reads this, it has written every line before it.
  if (job.warmup === true) scope.postMessage({ warmedUp: true });
  else scope.postMessage({ nsPerCall: ((performance.now() - started) * 1e6) / job.records });
}

/** The bench's first loop: one JSON line per record, an array of 256 lines per message. */
function runOldLoop(job: Job): void {
  const started = performance.now();
  let batch: string[] = [];
  const last = logged + job.records;
  for (let n = logged + 1; n <= last; n++) {
    batch.push(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'info',
        msg: 'request handled',
        producer: job.producer,
        seq: n,
        n,
        user: 'alice',
        path: '/api/items',
        status: 200,
      }),
    );
    if (batch.length === 256) {
      scope.postMessage({ lines: batch });
      batch = [];
    }
  }
  if (batch.length > 0) scope.postMessage({ lines: batch });
  logged = last;
  // Messages arrive in order: once the parent reads this, it has written every line before it.
  if (job.warmup === true) scope.postMessage({ warmedUp: true });
  else scope.postMessage({ nsPerCall: ((performance.now() - started) * 1e6) / job.records });
}

function logRecords(records: number): number {
  const started = performance.now();
  for (let n = 1; n <= records; n++) logger.info('request handled', { n, user: 'alice', path: '/api/items', status: 200 });
  return performance.now() - started;
}

scope.onmessage = (event) => {
  const job = event.data;
  if (job.loop === 'limit') return runLimit(job);
  if (job.loop === 'old-loop') return runOldLoop(job);
  const elapsed = logRecords(job.records);
  if (job.warmup === true) {
    // flush() resolves once the listener has handed every record logged so far to the sink.
    void logger.flush().then(() => scope.postMessage({ warmedUp: true }));
    return;
  }
  scope.postMessage({ nsPerCall: (elapsed * 1e6) / job.records });
  void closeWorkerLogger().then(end);
};
scope.postMessage({ ready: true });
