/** @tributary/node-worker: worker_threads log through a lock-free shared-memory ring to one listener. */
export { startWorker, attachWorker } from './parent.ts';
export type { ConnectedWorker, StartWorkerOptions, WorkerChannelOptions } from './parent.ts';
export { workerLogger, closeWorkerLogger } from './worker.ts';
export type { WorkerLoggerOptions } from './worker.ts';
