import { afterCurrentTask, onWorkerCreated } from '../internal/host.ts';
import type { AcceptIdentity } from '../shared-memory/accept-messages.ts';
import type { ThreadWatcher } from './accept-workers.ts';
import type { WorkerEvents } from './worker-parent.ts';

/** How many ended threads are remembered for an offer that comes after the end. */
const RECENTLY_ENDED = 1_024;

/** A runtime's primitives for one kind of worker object, as its creating thread holds it. */
export interface CreatedWorkerEvents<W> {
  /** The worker's thread id (`worker.threadId`), matched with the id its thread asks with. */
  threadOf(worker: W): number | undefined;
  /** Calls `gone` once when the worker ended, with its exit code where the runtime gives one; returns a remover. */
  onGone(worker: W, gone: (code?: number) => void): () => void;
  /** Calls `error` with the message of the worker's uncaught error; returns a remover. */
  onError(worker: W, error: (message: string) => void): () => void;
}

/**
 * A {@link ThreadWatcher} for runtimes that tell a thread about every worker it creates (Node and
 * Bun: `process.on('worker')`): from `start()` on it keeps the workers this thread creates, by
 * thread id, until they end, and watches the one that asks. A thread created before `start()` or by
 * another thread is not seen, so it gets no offer from this acceptor. Where the runtime has no such
 * event it sees nothing.
 */
export function createdWorkerWatcher<W>(primitives: CreatedWorkerEvents<W>): ThreadWatcher {
  const alive = new Map<number, W>();
  // A thread may end before its offer is read: its exit code, for the last threads that ended.
  const ended = new Map<number, number | undefined>();
  return {
    start() {
      const stop = onWorkerCreated((value) => {
        const worker = value as W;
        const thread = primitives.threadOf(worker);
        if (thread === undefined) return;
        alive.set(thread, worker);
        const remove = primitives.onGone(worker, (code) => {
          remove();
          alive.delete(thread);
          ended.set(thread, code);
          if (ended.size > RECENTLY_ENDED) ended.delete(ended.keys().next().value as number);
        });
      });
      return () => {
        stop?.();
        alive.clear();
        ended.clear();
      };
    },
    canWatch(identity: AcceptIdentity) {
      return identity.thread !== undefined && (alive.has(identity.thread) || ended.has(identity.thread));
    },
    watch(identity: AcceptIdentity, events: WorkerEvents) {
      const thread = identity.thread as number;
      const worker = alive.get(thread);
      if (worker === undefined) {
        // Already gone: what it left in its ring is read now.
        const code = ended.get(thread);
        ended.delete(thread);
        afterCurrentTask(() => events.gone(code));
        return () => {};
      }
      const removers = [primitives.onError(worker, (message) => events.error(message)), primitives.onGone(worker, (code) => events.gone(code))];
      return () => {
        for (const remove of removers) remove();
      };
    },
  };
}
