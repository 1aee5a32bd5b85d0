/** @tributary/bun-worker: Bun Web Workers log through a lock-free shared-memory ring to one listener. */
export { startWorker, attachWorker } from './parent.ts';
export type { StartWorkerOptions, StartedWorker, WebWorker } from './options.ts';
export { acceptWorkers } from './accept.ts';
export type { AcceptWorkersOptions, AcceptedExit, AcceptedWorkers } from '@tributary/core/adapter';
export type { ConnectedProducer, ConnectedWorker, ProducerExit, ProducerExitReason, WorkerChannelOptions } from '@tributary/core/adapter';
export { workerLogger, workerConnected, closeWorkerLogger } from './worker.ts';
export type { WorkerLoggerOptions } from './worker.ts';
export type { WrongRuntimeError } from '@tributary/core/adapter';
