import { threadId } from 'node:worker_threads';
import { announceToAcceptors, workerLoggerOn } from '@tributary/core/adapter';
import type { Logger, WorkerLoggerOptions } from '@tributary/core';
import type { WorkerProducer } from '@tributary/core/adapter';
import { requireBun } from './internal/runtime.ts';
import { catchSetup, inWorker, onSetup, onStopRequest, setupFromWorkerData } from './internal/setup.ts';

catchSetup();

/** Options of {@link workerLogger} (shared by every worker adapter, defined in core). */
export type { WorkerLoggerOptions } from '@tributary/core';

const slot: { current?: WorkerProducer } = {};

/**
 * A logger connected to the listener, usable at once, inside a Bun worker. In a worker started by
 * `startWorker()` the ring comes in `workerData`, so from the first call on a record is in shared
 * memory the moment its log call returns and survives `process.exit()`, `worker.terminate()` and
 * uncaught errors. In a worker wired later by `attachWorker()`, records wait in the worker's memory
 * until the parent's setup message arrives. Later calls share the worker's producer (their producer
 * options are ignored) and give loggers with their own name, level and fields.
 */
export function workerLogger(options: WorkerLoggerOptions = {}): Logger {
  requireBun('workerLogger()');
  if (!inWorker()) throw new Error('@tributary/bun-worker: workerLogger() runs inside a worker; on the main thread use listener.logger()');
  const first = slot.current === undefined;
  const logger = workerLoggerOn(slot, options, () => ({
    runtime: 'bun',
    thread: threadId,
    defaultProducer: `bun-${threadId}`,
    initial: setupFromWorkerData(),
    awaitGrant: onSetup,
    // A worker started by code that never calls startWorker(): an acceptor of this process (acceptWorkers()) may take it.
    announce: (ring) => announceToAcceptors({ thread: threadId }, ring),
  }));
  if (first) onStopRequest(() => void closeWorkerLogger().finally(() => process.exit(0)));
  return logger;
}

/**
 * Resolves once this worker's records go straight into shared memory (the parent's setup has
 * arrived and been taken up); from then on a record is safe the moment its log call returns.
 * Call `workerLogger()` first; in a worker started by `startWorker()` it resolves at once. Never rejects.
 */
export function workerConnected(): Promise<void> {
  return slot.current?.connected ?? Promise.resolve();
}

/**
 * Flushes the worker's producer, says goodbye to the listener and closes the channel. Later log
 * calls are counted as undeliverable. Resolves once; never rejects.
 */
export async function closeWorkerLogger(): Promise<void> {
  await slot.current?.handler.close();
}
