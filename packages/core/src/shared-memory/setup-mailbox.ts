/**
 * The worker side of a Web Worker adapter's two messages: the parent's setup (the ring and who the
 * worker is) and its request to stop. Both are caught on the worker's global scope as soon as the
 * adapter's module loads, before user code can see them, so `workerLogger()` may be called early or
 * late. Runtime-neutral: Deno and Bun workers both have `addEventListener('message')` on `globalThis`.
 */

/** Marks a setup message among the worker's other messages. */
export const SETUP_MARK = 'tributary.setup';

/** Marks the parent's request that the worker flush, close its logger and end. */
export const STOP_MARK = 'tributary.stop';

/** The setup message every Web Worker adapter sends; adapters may add fields. */
export interface WorkerSetupMessage {
  readonly mark: typeof SETUP_MARK;
  /** The setup format; a worker refuses another. */
  readonly version: 1;
  /** The producer id the parent chose, if it chose one. */
  readonly producer?: string;
  /** The ring's shared memory. */
  readonly buffer: SharedArrayBuffer;
  /** The ring's wait timeout the parent chose, if it chose one. */
  readonly waitTimeout?: number;
}

/** True for a setup message. */
export function isWorkerSetup(value: unknown): value is WorkerSetupMessage {
  return typeof value === 'object' && value !== null && (value as { mark?: unknown }).mark === SETUP_MARK;
}

/** Catches the setup and stop messages for one worker. */
export interface SetupMailbox<S extends WorkerSetupMessage> {
  /** Starts catching (does nothing on a main thread). Idempotent. */
  catch(): void;
  /** Calls `receiver` with the setup once it is taken up, now if it already is (one receiver). */
  onSetup(receiver: (setup: S) => void): void;
  /** Registers what to do when the parent asks the worker to stop (one callback). */
  onStopRequest(callback: () => void): void;
}

interface MessageScope {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown; stopImmediatePropagation(): void }) => void): void;
}

/**
 * A mailbox for one worker. `inWorker` tells whether this is a worker at all; `takeUp` runs once on
 * the first setup message and calls `ready` when the setup may be used (Deno first takes its
 * liveness lock). Only the first setup counts: one ring per worker.
 */
export function createSetupMailbox<S extends WorkerSetupMessage>(
  inWorker: () => boolean,
  takeUp: (setup: S, ready: () => void) => void = (_setup, ready) => ready(),
): SetupMailbox<S> {
  let catching = false;
  let taken = false;
  let received: S | undefined;
  let receiver: ((setup: S) => void) | undefined;
  let stopRequested: (() => void) | undefined;
  return {
    catch() {
      if (catching || !inWorker()) return;
      catching = true;
      (globalThis as unknown as MessageScope).addEventListener('message', (event) => {
        const data = event.data;
        if (typeof data !== 'object' || data === null) return;
        if ((data as { mark?: unknown }).mark === STOP_MARK) {
          event.stopImmediatePropagation();
          stopRequested?.();
        } else if (isWorkerSetup(data)) {
          event.stopImmediatePropagation();
          if (taken) return;
          taken = true;
          takeUp(data as S, () => {
            received = data as S;
            receiver?.(data as S);
          });
        }
      });
    },
    onSetup(callback) {
      receiver = callback;
      if (received !== undefined) callback(received);
    },
    onStopRequest(callback) {
      stopRequested = callback;
    },
  };
}
