import type { ProducerEndpoint } from '../channel/types.ts';
import { resolveLoggerLevel } from '../level-environment.ts';
import type { Threshold } from '../levels.ts';
import { Logger } from '../logger.ts';
import type { Fields } from '../logger.ts';
import { QueueHandler } from '../queue/handler.ts';
import { checkInteger } from '../queue/handler-options.ts';
import type { QueueHandlerOptions } from '../queue/handler-options.ts';
import { createDeferredProducerEndpoint } from './deferred-endpoint.ts';
import { createProvisionalRing } from './provisional-ring.ts';
import type { ProvisionalRing } from './provisional-ring.ts';
import { createRingProducerEndpoint } from './ring-producer.ts';
import { spillToStderrAtExit } from './unconnected-exit.ts';

/**
 * Options of a worker adapter's `workerLogger()` (node-worker, deno-worker, bun-worker). The first
 * call in a worker also sets up the worker's producer; later calls only make loggers on it.
 */
export interface WorkerLoggerOptions extends Partial<Omit<QueueHandlerOptions, 'runtime' | 'thread'>> {
  /** The logger's name. Default: `''`. */
  readonly name?: string;
  /** The logger's threshold. Default: `TRIBUTARY_LEVEL`, else `LOG_LEVEL`, else `'info'`, as the worker reads them. */
  readonly level?: Threshold;
  /** Fields bound to every record. Default: none. */
  readonly fields?: Fields;
  /**
   * How long a log call may wait for room when the ring is full, in milliseconds, before the record
   * is dropped and counted (the listener reports the gap). Default: 1,000 (or the parent's choice).
   */
  readonly waitTimeout?: number;
  /**
   * How much of the records' text is kept in the worker's memory until the parent's ring arrives,
   * in characters (UTF-16 code units, as `String.length` counts them: one per byte for ASCII, fewer
   * than the UTF-8 bytes for other text; a record past the bound is dropped and shows as a sequence
   * gap). Default: 4 Mi (4,194,304).
   */
  readonly maxBufferedChars?: number;
}

/** A shared-memory ring a parent hands to its worker. */
export interface RingGrant {
  readonly buffer: SharedArrayBuffer;
  /** The parent's choice of `waitTimeout`, which wins over the worker's. */
  readonly waitTimeout?: number;
  /** The producer id the parent chose, which wins over the worker's. */
  readonly producer?: string;
}

/** What a runtime adapter tells the worker-side producer about its runtime. */
export interface WorkerRuntime {
  /** `node`, `deno`, `bun`. */
  readonly runtime: string;
  readonly thread?: number;
  readonly pid?: number;
  /** The producer id when neither the parent nor the options name one. */
  readonly defaultProducer: string;
  /** The ring given when the worker started, if any. */
  readonly initial: RingGrant | undefined;
  /** Calls back once with a ring the parent sends later (`attachWorker()`, Deno's setup message). */
  awaitGrant(callback: (grant: RingGrant) => void): void;
  /**
   * Optional: stops waiting for the parent's ring, called when an acceptor took the thread instead
   * (so a port the wait listens on no longer keeps the thread alive). Default: nothing to stop.
   */
  stopAwaitingGrant?(): void;
  /**
   * Optional: offers the thread to the process's acceptors (`acceptWorkers()`) with the ring it made
   * for itself, by {@link announceToAcceptors} with how an acceptor can see this thread end (Deno
   * first takes a Web Lock). Default: no acceptor can take the thread.
   */
  announce?(ring: ProvisionalRing): void;
  /**
   * Optional: calls `hook` synchronously when the thread is about to end in a way the process exit
   * hook does not see (Deno's `self.close()`); returns a remover. Default: the exit hook only.
   */
  onThreadEnd?(hook: () => void): () => void;
}

/** One worker's producer: the handler writing into the ring (or keeping records until it arrives). */
export interface WorkerProducer {
  readonly handler: QueueHandler;
  /** Resolves once records go straight into shared memory. */
  readonly connected: Promise<void>;
}

/**
 * The worker side shared by every ring adapter: returns a logger on the worker's producer, making
 * that producer on the first call (`slot.current`). With a ring given at start, records are in shared
 * memory the moment a log call returns; otherwise they wait in a bounded buffer for the parent's
 * ring, and a worker that ends without it writes them to standard error with a note. Throws a clear error for a bad level before setting anything up.
 */
export function workerLoggerOn(slot: { current?: WorkerProducer }, options: WorkerLoggerOptions, runtime: () => WorkerRuntime): Logger {
  const level = resolveLoggerLevel(options.level, 'workerLogger level');
  if ('maxBufferedBytes' in options) {
    throw new TypeError('workerLogger: maxBufferedBytes is now maxBufferedChars (it counts characters, UTF-16 code units, not bytes)');
  }
  if (options.maxBufferedChars !== undefined) checkInteger(options.maxBufferedChars, 'workerLogger maxBufferedChars', 1);
  slot.current ??= createWorkerProducer(options, runtime());
  const logger = new Logger(slot.current.handler, options.name ?? '', level);
  return options.fields === undefined ? logger : logger.child({ fields: options.fields });
}

function createWorkerProducer(options: WorkerLoggerOptions, runtime: WorkerRuntime): WorkerProducer {
  const { name: _name, level: _level, fields: _fields, waitTimeout, maxBufferedChars, ...handlerOptions } = options;
  const ringOptions = (grant: RingGrant): { waitTimeout?: number } => {
    const timeout = grant.waitTimeout ?? waitTimeout;
    return timeout === undefined ? {} : { waitTimeout: timeout };
  };
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  let endpoint: ProducerEndpoint;
  const producer = runtime.initial?.producer ?? handlerOptions.producer ?? runtime.defaultProducer;
  if (runtime.initial !== undefined) {
    endpoint = createRingProducerEndpoint(runtime.initial.buffer, ringOptions(runtime.initial));
    markConnected();
  } else {
    // Records also go into a ring of the thread's own at once, which an acceptor may take.
    const provisional = runtime.announce === undefined ? undefined : createProvisionalRing(waitTimeout);
    const deferred = createDeferredProducerEndpoint(maxBufferedChars, provisional);
    // A worker never connected (a pool's, say) writes its records to stderr at its end, not nowhere.
    const stopWatchingExit = spillToStderrAtExit(deferred, producer, runtime.onThreadEnd);
    const connectedNow = (): void => {
      stopWatchingExit();
      markConnected();
    };
    runtime.awaitGrant((grant) => {
      deferred.connect(createRingProducerEndpoint(grant.buffer, ringOptions(grant)));
      connectedNow();
    });
    if (provisional !== undefined) {
      provisional.whenAccepted(() => {
        runtime.stopAwaitingGrant?.();
        deferred.adoptIfAccepted();
        connectedNow();
      });
      runtime.announce?.(provisional);
    }
    endpoint = deferred;
  }
  const handler = new QueueHandler(endpoint, {
    ...handlerOptions,
    producer,
    runtime: runtime.runtime,
    ...(runtime.thread === undefined ? {} : { thread: runtime.thread }),
    ...(runtime.pid === undefined ? {} : { pid: runtime.pid }),
  });
  return { handler, connected };
}
