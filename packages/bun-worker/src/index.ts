/** @tributary/bun-worker: Bun Web Workers log through a lock-free shared-memory ring to one listener. */
export { startWorker, attachWorker } from './parent.ts';
export type { ConnectedWorker, StartWorkerOptions, StartedWorker, WebWorker, WorkerChannelOptions, WorkerExit } from './options.ts';
export { workerLogger, workerConnected, closeWorkerLogger } from './worker.ts';
export type { WorkerLoggerOptions } from './worker.ts';
export type { WrongRuntimeError } from './internal/runtime.ts';
