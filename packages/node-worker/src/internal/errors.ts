import type { Worker } from 'node:worker_threads';

/**
 * Called from the adapter's own `error` listener: when nobody else listens, fails the way an
 * unwatched worker's error fails its parent (the adapter's listener must not swallow it).
 */
export function rethrowIfUnwatched(worker: Worker, thrown: unknown): void {
  if (worker.listenerCount('error') === 1)
    queueMicrotask(() => {
      throw thrown;
    });
}
