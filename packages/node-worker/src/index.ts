/** @tributary/node-worker: worker_threads log through a lock-free shared-memory ring to one listener. */
export { startWorker, attachWorker } from './parent.ts';
export type { StartWorkerOptions } from './parent.ts';
export { acceptWorkers } from './accept.ts';
export type { AcceptWorkersOptions, AcceptedExit, AcceptedWorkers } from '@tributary/core/adapter';
export type { ConnectedProducer, ConnectedWorker, ProducerExit, ProducerExitReason, WorkerChannelOptions } from '@tributary/core/adapter';
export { workerLogger, closeWorkerLogger } from './worker.ts';
export type { WorkerLoggerOptions } from './worker.ts';
