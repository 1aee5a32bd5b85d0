import { acceptWorkersOn } from '@tributary/core/adapter';
import type { AcceptWorkersOptions, AcceptedWorkers } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { watchLivenessLock } from './internal/liveness.ts';
import { requireDeno } from './internal/runtime.ts';

/**
 * Connects to `listener` every Web Worker of this process whose `workerLogger()` was not handed a
 * ring (code that never calls `startWorker()`), without the application touching the `Worker`
 * objects: each such worker takes a Web Lock of its own for its life, then offers a shared-memory
 * ring of its own, already holding what it logged, on a `BroadcastChannel` shared by every thread
 * of the process, and keeps it for its life. Deno tells nobody when a worker ends, so the acceptor
 * asks for the worker's lock: the grant means the worker is gone (the acceptor holds no lock while
 * the worker lives, and nothing blocks); then what it left in its ring is read and the listener
 * reports it (`tributary.producer_exited` with its last sequence number when it ended without a
 * goodbye: terminated or crashed, which Deno does not tell apart). Workers of any thread are
 * accepted, also those that asked before this call. Throws on another runtime or bad options.
 */
export function acceptWorkers(listener: QueueListener, options: AcceptWorkersOptions = {}): AcceptedWorkers {
  requireDeno('acceptWorkers()');
  return acceptWorkersOn(
    listener,
    { adapter: '@tributary/deno-worker', ...options },
    {
      start: () => () => {},
      canWatch: (identity) => typeof identity.lock === 'string',
      watch(identity, events) {
        const watching = new AbortController();
        watchLivenessLock(identity.lock as string, () => events.gone(), watching.signal);
        return () => watching.abort();
      },
    },
  );
}
