/**
 * The worker side of the `threads-deno-bun` scenario, run by Deno or Bun: connects with the
 * runtime's adapter, waits for `go`, logs `records` records, reports the time per call, closes its
 * logger and ends.
 */
interface Job {
  readonly records: number;
}
interface WorkerAdapter {
  workerLogger(options?: object): { info(msg: string, fields: object): void };
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
const { workerLogger, closeWorkerLogger } = (await import(adapterName)) as WorkerAdapter;
const logger = workerLogger();

scope.onmessage = (event) => {
  const { records } = event.data;
  const started = performance.now();
  for (let n = 1; n <= records; n++) logger.info('request handled', { n, user: 'alice', path: '/api/items', status: 200 });
  const elapsed = performance.now() - started;
  scope.postMessage({ nsPerCall: (elapsed * 1e6) / records });
  void closeWorkerLogger().then(() => {
    if (onDeno) (globalThis as unknown as { close(): void }).close();
    else (globalThis as unknown as { process: { exit(code: number): never } }).process.exit(0);
  });
};
scope.postMessage({ ready: true });
