import { openBroadcastChannel } from '../internal/host-broadcast.ts';
import type { QueueListener } from '../queue/listener.ts';
import { checkInteger } from '../queue/handler-options.ts';
import { ACCEPT_CHANNEL, ACCEPT_MARK, isAcceptMessage } from '../shared-memory/accept-messages.ts';
import type { AcceptIdentity, AcceptRequest } from '../shared-memory/accept-messages.ts';
import { takeProvisionalRing } from '../shared-memory/provisional-ring.ts';
import { createRingListenerEndpoint } from '../shared-memory/ring-listener.ts';
import type { ProducerExit, ProducerExitReason } from './connected-producer.ts';
import { exitAwareEndpoint } from './exit-aware-endpoint.ts';
import type { WorkerEvents } from './worker-parent.ts';

/** Options of a worker adapter's `acceptWorkers()`, the same on every runtime. */
export interface AcceptWorkersOptions {
  /**
   * How long a log call in an accepted thread may wait for room when its ring is full, in
   * milliseconds, before the record is dropped and counted. Default: the thread's `workerLogger()`
   * option, else 1,000.
   */
  readonly waitTimeout?: number;
  /**
   * Called once for each accepted thread that ended, after the listener read everything it left in
   * its ring: its producer id and how it ended, with the last sequence number that arrived (the
   * listener reports the same in `tributary.producer_exited` for a crash or termination). An error it
   * throws is ignored. Default: none.
   */
  readonly onExit?: (exit: AcceptedExit) => void;
}

/** How an accepted thread ended, as `onExit` hears it. */
export interface AcceptedExit extends ProducerExit {
  /** The producer id its records carry. */
  readonly producer: string;
}

/** What `acceptWorkers()` returns. */
export interface AcceptedWorkers {
  /**
   * Stops accepting threads. Threads already accepted stay connected: their records still arrive and
   * their end is still reported. Idempotent.
   */
  close(): void;
}

/** How an adapter sees an accepted thread end: its runtime's primitive. */
export interface ThreadWatcher {
  /** Starts hearing of threads, where the runtime needs that before they ask (Node's and Bun's `worker` event); returns its stop. */
  start(): () => void;
  /** True when this acceptor can see the thread that sent `identity` end (only then does it take it). */
  canWatch(identity: AcceptIdentity): boolean;
  /** Watches that thread, calling `events` when it raises an error and once it is gone; returns a stop. */
  watch(identity: AcceptIdentity, events: WorkerEvents): () => void;
}

/**
 * The acceptor side of every worker adapter's `acceptWorkers()`, written once: takes each thread
 * that offers its ring on the process's accept channel (see `accept-messages.ts`) and that `watcher`
 * can see end, attaches that ring to `listener` (it already holds what the thread logged), and when
 * the thread is gone reads what it left and tells the listener how it ended: `crashed` after an
 * error event, `ended` after exit code 0 or a goodbye without a code, `terminated` otherwise (a pool
 * ending its thread, or an exit with another code). Nothing here waits on a lock or blocks. Throws
 * on bad options.
 */
export function acceptWorkersOn(
  listener: QueueListener,
  options: AcceptWorkersOptions & { readonly adapter: string },
  watcher: ThreadWatcher,
): AcceptedWorkers {
  const { adapter, waitTimeout, onExit } = options;
  if (waitTimeout !== undefined) checkInteger(waitTimeout, 'waitTimeout', 0);
  if (onExit !== undefined && typeof onExit !== 'function') throw new TypeError(`${adapter}: onExit must be a function`);
  let closed = false;

  const take = (request: AcceptRequest): void => {
    const identity: AcceptIdentity = typeof request.identity === 'object' && request.identity !== null ? request.identity : {};
    if (!(request.buffer instanceof SharedArrayBuffer) || !watcher.canWatch(identity)) return;
    if (!takeProvisionalRing(request.claim, waitTimeout)) return;
    const endpoint = exitAwareEndpoint(createRingListenerEndpoint(request.buffer));
    let errorMessage: string | undefined;
    let over = false;
    const stopWatching = watcher.watch(identity, {
      error(message) {
        errorMessage ??= message;
      },
      gone(code) {
        if (over) return;
        over = true;
        const [how, reason] = exitOf(code, errorMessage, endpoint.saidGoodbye);
        endpoint.producerGone(how, reason);
        stopWatching();
        try {
          onExit?.({ producer: endpoint.announced ?? '', ...how, lastSeq: endpoint.lastSeq });
        } catch {
          // the application's callback must not stop the acceptor
        }
      },
    });
    listener.attach(endpoint);
  };

  const channel = openBroadcastChannel(ACCEPT_CHANNEL, (message) => {
    if (!closed && isAcceptMessage(message) && message.kind === 'request') take(message);
  });
  if (channel === undefined) throw new TypeError(`${adapter}: acceptWorkers() needs BroadcastChannel, which this runtime lacks`);
  const stopHearing = watcher.start();
  // Threads that asked before this acceptor existed ask again.
  channel.post({ mark: ACCEPT_MARK, kind: 'present' });
  return {
    close() {
      if (closed) return;
      closed = true;
      stopHearing();
      channel.close();
    },
  };
}

/** The exit of an accepted thread (whose end nobody here caused) and the close reason's text. */
function exitOf(code: number | undefined, errorMessage: string | undefined, saidGoodbye: boolean): [Omit<ProducerExit, 'lastSeq'>, string] {
  const reason: ProducerExitReason = errorMessage !== undefined ? 'crashed' : code === 0 || (code === undefined && saidGoodbye) ? 'ended' : 'terminated';
  const how = { reason, ...(code === undefined ? {} : { code }), ...(errorMessage === undefined ? {} : { message: errorMessage }) };
  return [how, `thread ${reason}${code === undefined ? '' : ` with code ${code}`}${errorMessage === undefined ? '' : `: ${errorMessage}`}`];
}
