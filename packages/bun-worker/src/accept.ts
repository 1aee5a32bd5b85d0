import { acceptWorkersOn, createdWorkerWatcher } from '@tributary/core/adapter';
import type { AcceptWorkersOptions, AcceptedWorkers } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { requireBun } from './internal/runtime.ts';
import type { WebWorker } from './options.ts';

type CloseListener = (event: { readonly code?: number }) => void;
type ErrorListener = (event: { readonly message?: string }) => void;

/** A Bun Web Worker as Bun's `process.on('worker')` hands it over. */
interface CreatedWorker extends WebWorker {
  readonly threadId?: number;
  removeEventListener(type: 'close' | 'error', listener: CloseListener | ErrorListener): void;
}

/**
 * Connects to `listener` every Web Worker this thread creates from now on whose `workerLogger()` was
 * not handed a ring (code that never calls `startWorker()`), without the application touching the
 * `Worker` objects: each such worker offers a shared-memory ring of its own, already holding what it
 * logged, on a `BroadcastChannel` shared by every thread of the process, and keeps it for its life.
 * Its end is seen through Bun's `process.on('worker')` and the Worker's `close` event (nothing
 * waits or holds a lock); then what it left in its ring is read and the listener reports it
 * (`tributary.producer_exited` with its last sequence number when it crashed or was terminated).
 * Call it before the workers are created, on the thread that creates them: a worker created earlier,
 * or by another thread, is not accepted (it keeps its records in its bounded buffer and writes them
 * to stderr at its end). Throws on another runtime or bad options.
 */
export function acceptWorkers(listener: QueueListener, options: AcceptWorkersOptions = {}): AcceptedWorkers {
  requireBun('acceptWorkers()');
  return acceptWorkersOn(
    listener,
    { adapter: '@tributary/bun-worker', ...options },
    createdWorkerWatcher<CreatedWorker>({
      threadOf: (worker) => (typeof worker.threadId === 'number' ? worker.threadId : undefined),
      onGone(worker, gone) {
        const listener: CloseListener = (event) => gone(typeof event.code === 'number' ? event.code : undefined);
        worker.addEventListener('close', listener);
        return () => worker.removeEventListener('close', listener);
      },
      onError(worker, error) {
        const listener: ErrorListener = (event) => error(String(event.message ?? 'unknown error'));
        worker.addEventListener('error', listener as never);
        return () => worker.removeEventListener('error', listener);
      },
    }),
  );
}
