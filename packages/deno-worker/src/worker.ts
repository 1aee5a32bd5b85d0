import { workerLoggerOn } from '@tributary/core/adapter';
import type { Logger, WorkerLoggerOptions } from '@tributary/core';
import type { WorkerProducer } from '@tributary/core/adapter';
import { requireDeno } from './internal/runtime.ts';
import { beforeSelfClose } from './internal/self-close.ts';
import { catchSetup, inWorker, onSetup, onStopRequest, workerName } from './internal/setup.ts';

catchSetup();

/** Options of {@link workerLogger} (shared by every worker adapter, defined in core). */
export type { WorkerLoggerOptions } from '@tributary/core';

const slot: { current?: WorkerProducer } = {};

/**
 * A logger connected to the listener, usable at once, inside a Deno worker started by
 * `startWorker()` or wired by `attachWorker()`. A Web Worker gets no data at its start, so the ring
 * arrives in the parent's first message: records logged before that message was handled (code at the
 * top of the worker module, before its first `await`) wait in the worker's memory; from then on a
 * record is in shared memory the moment its log call returns and survives `self.close()`,
 * `Deno.exit()`, `worker.terminate()` and uncaught errors. Later calls share the worker's producer
 * (their producer options are ignored) and give loggers with their own name, level and fields.
 */
export function workerLogger(options: WorkerLoggerOptions = {}): Logger {
  requireDeno('workerLogger()');
  if (!inWorker()) throw new Error('@tributary/deno-worker: workerLogger() runs inside a worker; on the main thread use listener.logger()');
  const first = slot.current === undefined;
  const logger = workerLoggerOn(slot, options, () => ({
    runtime: 'deno',
    pid: (globalThis as unknown as { Deno: { pid: number } }).Deno.pid,
    defaultProducer: workerName() || `deno-${crypto.randomUUID().slice(0, 8)}`,
    initial: undefined,
    awaitGrant: onSetup,
    onThreadEnd: beforeSelfClose,
  }));
  if (first) onStopRequest(() => void closeWorkerLogger().finally(() => (globalThis as unknown as { close(): void }).close()));
  return logger;
}

/**
 * Resolves once this worker's records go straight into shared memory (the parent's setup has
 * arrived and been taken up); from then on a record is safe the moment its log call returns.
 * Call `workerLogger()` first. Never rejects.
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
