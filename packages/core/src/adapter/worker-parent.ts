import { politeStop, resolveStopTimeout } from '../channel/stop-producer.ts';
import type { QueueListener } from '../queue/listener.ts';
import { checkInteger } from '../queue/handler-options.ts';
import { createRingBuffer } from '../shared-memory/ring-layout.ts';
import { createRingListenerEndpoint } from '../shared-memory/ring-listener.ts';
import { SETUP_MARK } from '../shared-memory/setup-mailbox.ts';
import type { WorkerSetupMessage } from '../shared-memory/setup-mailbox.ts';
import type { ConnectedProducer, ProducerExit, ProducerExitReason } from './connected-producer.ts';
import { exitAwareEndpoint } from './exit-aware-endpoint.ts';
import { defaultProducerId } from './producer-id.ts';

/** Options of the ring between a worker and the listener, the same on every worker adapter. */
export interface WorkerChannelOptions {
  /**
   * The worker's producer id, unique per listener. Default: for a worker the adapter starts,
   * `worker-1`, `worker-2`… per listener; for an attached worker, the id its own logger announces.
   */
  readonly producer?: string;
  /** Bytes of the worker's shared-memory ring (rounded up to a power of two). Default: 1 MiB. */
  readonly ringBytes?: number;
  /**
   * How long a log call in the worker may wait for room when the ring is full, in milliseconds,
   * before the record is dropped and counted. Default: the worker's `workerLogger()` option, else 1,000.
   */
  readonly waitTimeout?: number;
  /** How long `stop()` waits for the worker to finish before terminating it, in ms. Default: 5,000. */
  readonly stopTimeout?: number;
}

/** What a runtime's worker tells the kit (the adapter calls these from the worker's events). */
export interface WorkerEvents {
  /** The worker raised an uncaught error (it is crashing). */
  error(message: string): void;
  /** The worker is gone, for whatever reason; `code` where the runtime reports one. Idempotent. */
  gone(code?: number): void;
}

/** What the kit asks of a runtime's worker. */
export interface WorkerControl<W> {
  /** The runtime's worker object, handed to the application as `ConnectedWorker.worker`. */
  readonly worker: W;
  /** Asks the worker to flush, close its logger and end (the stop request of the setup mailbox). */
  askToStop(): void;
  /** Ends the worker now (`worker.terminate()`); the adapter still reports `gone()` afterwards. */
  terminate(): unknown;
}

/**
 * An adapter's runtime primitive: creates (or takes) the worker, hands it `setup` (in its start data
 * or as its first message) and calls `events` from the worker's error and exit events.
 */
export type LaunchWorker<W> = (setup: WorkerSetupMessage, events: WorkerEvents) => WorkerControl<W>;

/** A worker wired to a listener: the one {@link ConnectedProducer} shape, plus the runtime's worker. */
export interface ConnectedWorker<W> extends ConnectedProducer {
  /** The runtime's worker object. */
  readonly worker: W;
}

/** The same options, each also allowed to be `undefined` (an adapter passes its own through). */
type LooseOptions<T> = { readonly [K in keyof T]?: T[K] | undefined };

/** How {@link connectWorker} names and checks a worker. */
export interface ConnectWorkerOptions extends LooseOptions<WorkerChannelOptions> {
  /** The adapter's package name, for error messages (e.g. `@tributary/node-worker`). */
  readonly adapter: string;
  /** True when the adapter starts the worker (then it picks the default id), false for an attached one. */
  readonly started: boolean;
}

/**
 * The parent side of every worker adapter, written once: checks the options (a clear error before
 * any worker starts), makes the worker's shared-memory ring, lets the runtime's `launch` primitive
 * start or take the worker (it may add its own fields to the setup), attaches the ring to `listener` and watches the worker's end. Its
 * `exited` resolves once the worker is gone and the listener has read all it left in its ring, with
 * reason `crashed` (an uncaught error, or a non-zero exit code the parent did not cause),
 * `terminated` (by `terminate()`, or `stop()` after `stopTimeout`), `stopped` or `ended`.
 */
export function connectWorker<W>(listener: QueueListener, options: ConnectWorkerOptions, launch: LaunchWorker<W>): ConnectedWorker<W> {
  const { adapter } = options;
  const stopTimeout = resolveStopTimeout(options.stopTimeout);
  if (options.waitTimeout !== undefined) checkInteger(options.waitTimeout, 'waitTimeout', 0);
  if (options.producer !== undefined && (typeof options.producer !== 'string' || options.producer === '')) {
    throw new TypeError(`${adapter}: producer must be a non-empty string`);
  }
  const chosen = options.producer ?? (options.started ? defaultProducerId(listener, 'worker') : undefined);
  const buffer = createRingBuffer(options.ringBytes);
  const endpoint = exitAwareEndpoint(createRingListenerEndpoint(buffer));
  let stopRequested = false;
  let terminated = false;
  let errorMessage: string | undefined;
  let ending: ProducerExit | undefined;
  let resolveExited: (exit: ProducerExit) => void = () => {};
  const exited = new Promise<ProducerExit>((resolve) => {
    resolveExited = resolve;
  });
  const reasonOf = (code: number | undefined): ProducerExitReason => {
    if (errorMessage !== undefined) return 'crashed';
    if (terminated) return 'terminated';
    if (stopRequested) return 'stopped';
    return code !== undefined && code !== 0 ? 'crashed' : 'ended';
  };
  const events: WorkerEvents = {
    error(message) {
      errorMessage ??= message;
    },
    gone(code) {
      if (ending !== undefined) return;
      const reason = reasonOf(code);
      const how = { reason, ...(code === undefined ? {} : { code }), ...(errorMessage === undefined ? {} : { message: errorMessage }) };
      endpoint.producerGone(how, `worker ${reason}${code === undefined ? '' : ` with code ${code}`}${errorMessage === undefined ? '' : `: ${errorMessage}`}`);
      ending = { ...how, lastSeq: endpoint.lastSeq };
      resolveExited(ending);
    },
  };
  const setup: WorkerSetupMessage = {
    mark: SETUP_MARK,
    version: 1,
    buffer,
    ...(chosen === undefined ? {} : { producer: chosen }),
    ...(options.waitTimeout === undefined ? {} : { waitTimeout: options.waitTimeout }),
  };
  const control = launch(setup, events);
  listener.attach(endpoint);

  const terminate = (): Promise<ProducerExit> => {
    if (ending === undefined && !terminated) {
      terminated = true;
      try {
        void Promise.resolve(control.terminate()).catch(() => {});
      } catch {
        // a worker that is already gone cannot be terminated; its end is reported all the same
      }
    }
    return exited;
  };
  const askToStop = (): void => {
    stopRequested = true;
    control.askToStop();
  };
  return {
    worker: control.worker,
    get producer() {
      return chosen ?? endpoint.announced ?? '';
    },
    exited,
    stop: politeStop(exited, () => ending !== undefined, askToStop, terminate, stopTimeout),
    terminate,
  };
}
