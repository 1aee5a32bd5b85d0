/**
 * How a Bun worker learns its channel. A worker started by `spawnWorker()` finds its setup in
 * `workerData` (`node:worker_threads`), available at once; a worker passed to `attachWorker()` gets
 * it as its first message from the adapter, caught as soon as this module loads (before user code can
 * see it). The parent's stop request arrives the same way.
 */
import { workerData } from 'node:worker_threads';

/** Marks a setup message among the worker's other messages, and the setup inside `workerData`. */
export const SETUP_MARK = 'tributary.setup';
/** Marks the parent's request that the worker flush, close its logger and end. */
export const STOP_MARK = 'tributary.stop';
/** The key of the setup inside `workerData` when the parent passes its own data too. */
export const WORKER_DATA_KEY = '__tributary';

/** What the parent tells a worker. */
export interface WorkerSetup {
  readonly mark: typeof SETUP_MARK;
  /** The setup format; a worker refuses another. */
  readonly version: 1;
  /** The producer id the parent chose (`startWorker()`), if it chose one. */
  readonly producer?: string;
  /** The ring's shared memory. */
  readonly buffer: SharedArrayBuffer;
  /** The ring's wait timeout the parent chose, if it chose one. */
  readonly waitTimeout?: number;
}

/** True for a setup message. */
export function isSetup(value: unknown): value is WorkerSetup {
  return typeof value === 'object' && value !== null && (value as { mark?: unknown }).mark === SETUP_MARK;
}

interface WorkerScope {
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

let received: WorkerSetup | undefined;
let setupReceiver: ((setup: WorkerSetup) => void) | undefined;
let stopRequested: (() => void) | undefined;
let catching = false;

/** True inside a Bun worker. */
export function inWorker(): boolean {
  return (globalThis as { Bun?: { isMainThread?: boolean } }).Bun?.isMainThread === false;
}

/** The setup passed in `workerData` by `spawnWorker()`, if any. */
export function setupFromWorkerData(): WorkerSetup | undefined {
  const data: unknown = workerData;
  if (typeof data !== 'object' || data === null) return undefined;
  const setup = (data as Record<string, unknown>)[WORKER_DATA_KEY];
  return isSetup(setup) ? setup : undefined;
}

/** Starts catching the setup and stop messages (worker side; does nothing on a main thread). Idempotent. */
export function catchSetup(): void {
  if (catching || !inWorker()) return;
  catching = true;
  (globalThis as unknown as WorkerScope).addEventListener('message', (event) => {
    const data: unknown = event.data;
    if (typeof data !== 'object' || data === null) return;
    const mark = (data as { mark?: unknown }).mark;
    if (mark === STOP_MARK) {
      event.stopImmediatePropagation();
      stopRequested?.();
    } else if (isSetup(data)) {
      event.stopImmediatePropagation();
      if (received !== undefined) return; // one ring per worker
      received = data;
      setupReceiver?.(data);
    }
  });
}

/** Calls `receiver` with the setup message, now if it already came (one receiver). */
export function onSetup(receiver: (setup: WorkerSetup) => void): void {
  setupReceiver = receiver;
  if (received !== undefined) receiver(received);
}

/** Registers what to do when the parent asks the worker to stop (one callback). */
export function onStopRequest(callback: () => void): void {
  stopRequested = callback;
}
