import type { Worker } from 'node:worker_threads';
import { acceptWorkersOn, createdWorkerWatcher, describeThrown } from '@tributary/core/adapter';
import type { AcceptWorkersOptions, AcceptedWorkers } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { rethrowIfUnwatched } from './internal/errors.ts';

/**
 * Connects to `listener` every worker thread this thread creates from now on whose `workerLogger()`
 * was not handed a ring — a pool's threads (piscina, tinypool, workerpool) included — without the
 * application touching the `Worker` objects: each such thread asks on a `BroadcastChannel` shared by
 * every thread of the process and gets its own shared-memory ring, which it keeps for all its tasks.
 * The thread's end is seen through Node's `process.on('worker')` and the Worker's `exit` event
 * (nothing waits or holds a lock); then what it left in its ring is read and the listener reports it
 * (`tributary.producer_exited` with its last sequence number when it crashed or was terminated).
 * Call it before the pool starts its threads, on the thread that creates the pool: a thread created
 * earlier, or by another thread, is not accepted (its logger keeps records in its bounded buffer and
 * writes them to stderr at its end). Throws on bad options.
 */
export function acceptWorkers(listener: QueueListener, options: AcceptWorkersOptions = {}): AcceptedWorkers {
  return acceptWorkersOn(
    listener,
    { adapter: '@tributary/node-worker', ...options },
    createdWorkerWatcher<Worker>({
      threadOf: (worker) => (typeof worker.threadId === 'number' ? worker.threadId : undefined),
      onGone(worker, gone) {
        const listener = (code: number): void => gone(code);
        worker.once('exit', listener);
        return () => worker.off('exit', listener);
      },
      onError(worker, error) {
        const listener = (thrown: unknown): void => {
          error(describeThrown(thrown));
          rethrowIfUnwatched(worker, thrown);
        };
        worker.on('error', listener);
        return () => worker.off('error', listener);
      },
    }),
  );
}
