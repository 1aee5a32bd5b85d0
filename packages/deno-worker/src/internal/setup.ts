/**
 * The one message a parent sends a worker to connect it: the shared-memory ring and who the worker is.
 * Worker side, the message is caught as soon as this module loads (before user code can see it), so
 * `workerLogger()` may be called early or late, and the worker takes its liveness lock even if it
 * never logs.
 */
import { holdLivenessLock, raiseFlag } from './liveness.ts';

/** Marks a setup message among the worker's other messages. */
export const SETUP_MARK = 'tributary.setup';

/** Marks the parent's request that the worker flush, close its logger and end. */
export const STOP_MARK = 'tributary.stop';

/** What the parent tells a worker. */
export interface WorkerSetup {
  readonly mark: typeof SETUP_MARK;
  /** The setup format; a worker refuses another. */
  readonly version: 1;
  /** The producer id the parent chose (`startWorker()`); the worker's name carries it too. */
  readonly producer?: string;
  /** The ring's shared memory. */
  readonly buffer: SharedArrayBuffer;
  /** The Web Lock the worker holds for its life, so the parent can tell it ended. */
  readonly lock: string;
  /** 4 bytes: the worker sets them to 1 once it holds the lock. */
  readonly lockHeld: SharedArrayBuffer;
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
let taken = false;
/** Starts catching the setup message (worker side; does nothing on a main thread). Idempotent. */
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
      if (taken) return; // one ring per worker
      taken = true;
      // The lock first: the parent watches it once the flag is up, and the hello comes after.
      holdLivenessLock(data.lock, () => {
        raiseFlag(new Int32Array(data.lockHeld));
        received = data;
        setupReceiver?.(data);
      });
    }
  });
}

/** Calls `receiver` with the setup once the worker holds its lock, now if it already does (one receiver). */
export function onSetup(receiver: (setup: WorkerSetup) => void): void {
  setupReceiver = receiver;
  if (received !== undefined) receiver(received);
}

/** The worker's name (`self.name`), which `startWorker()` sets to the producer id. */
export function workerName(): string {
  const name = (globalThis as { name?: unknown }).name;
  return typeof name === 'string' ? name : '';
}

/** Registers what to do when the parent asks the worker to stop (one callback). */
export function onStopRequest(callback: () => void): void {
  stopRequested = callback;
}

/** True inside a Web Worker. */
export function inWorker(): boolean {
  const scope = globalThis as { WorkerGlobalScope?: new () => unknown };
  return typeof scope.WorkerGlobalScope === 'function' && globalThis instanceof scope.WorkerGlobalScope;
}
