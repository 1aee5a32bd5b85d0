/** @tributary/deno-worker: Deno Web Workers log through a lock-free shared-memory ring to one listener. */
export { startWorker, attachWorker } from './parent.ts';
export type { StartWorkerOptions, WebWorker } from './options.ts';
export type { ConnectedProducer, ConnectedWorker, ProducerExit, ProducerExitReason, WorkerChannelOptions } from '@tributary/core/adapter';
export { workerLogger, workerConnected, closeWorkerLogger } from './worker.ts';
export type { WorkerLoggerOptions } from './worker.ts';
export type { WrongRuntimeError } from '@tributary/core/adapter';
