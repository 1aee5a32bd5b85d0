/**
 * How a Bun worker learns its channel. A worker started by `startWorker()` finds its setup in
 * `workerData` (`node:worker_threads`), available at once; a worker passed to `attachWorker()` gets
 * it as a message, caught by core's setup mailbox as soon as this module loads. The parent's stop
 * request arrives the same way.
 */
import { workerData } from 'node:worker_threads';
import { SETUP_MARK, STOP_MARK, createSetupMailbox, isWorkerSetup } from '@tributary/core/adapter';
import type { WorkerSetupMessage } from '@tributary/core/adapter';

export { SETUP_MARK, STOP_MARK };

/** The key of the setup inside `workerData` when the parent passes its own data too. */
export const WORKER_DATA_KEY = '__tributary';

/** What the parent tells a Bun worker. */
export type WorkerSetup = WorkerSetupMessage;

/** True inside a Bun worker. */
export function inWorker(): boolean {
  return (globalThis as { Bun?: { isMainThread?: boolean } }).Bun?.isMainThread === false;
}

/** The setup passed in `workerData` by `startWorker()`, if any. */
export function setupFromWorkerData(): WorkerSetup | undefined {
  const data: unknown = workerData;
  if (typeof data !== 'object' || data === null) return undefined;
  const setup = (data as Record<string, unknown>)[WORKER_DATA_KEY];
  return isWorkerSetup(setup) ? setup : undefined;
}

const mailbox = createSetupMailbox<WorkerSetup>(inWorker);

/** Starts catching the setup and stop messages (worker side; nothing on a main thread). Idempotent. */
export const catchSetup = (): void => mailbox.catch();
/** Calls `receiver` with the setup message, now if it already came (one receiver). */
export const onSetup = (receiver: (setup: WorkerSetup) => void): void => mailbox.onSetup(receiver);
/** Registers what to do when the parent asks the worker to stop (one callback). */
export const onStopRequest = (callback: () => void): void => mailbox.onStopRequest(callback);
