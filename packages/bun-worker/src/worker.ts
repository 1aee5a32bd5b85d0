import { threadId } from 'node:worker_threads';
import { Logger, QueueHandler, createDeferredProducerEndpoint, createRingProducerEndpoint, parseThreshold } from '@tributary/core';
import type { Fields, ProducerEndpoint, QueueHandlerOptions, Threshold } from '@tributary/core';
import { requireBun } from './internal/runtime.ts';
import { catchSetup, inWorker, onSetup, onStopRequest, setupFromWorkerData } from './internal/setup.ts';
import type { WorkerSetup } from './internal/setup.ts';

catchSetup();

/** Options of {@link workerLogger}. The first call in a worker also sets up the worker's producer. */
export interface WorkerLoggerOptions extends Partial<Omit<QueueHandlerOptions, 'runtime' | 'thread'>> {
  /** The logger's name. Default: `''`. */
  readonly name?: string;
  /** The logger's threshold. Default: `'info'`. */
  readonly level?: Threshold;
  /** Fields bound to every record. Default: none. */
  readonly fields?: Fields;
  /**
   * How long a log call may wait for room when the ring is full, in milliseconds, before the record
   * is dropped and counted (the listener reports the gap). Default: 1,000 (or the parent's choice).
   */
  readonly waitTimeout?: number;
  /** Bytes of records kept while waiting for `attachWorker()`'s ring. Default: 4 MiB. */
  readonly maxBufferedBytes?: number;
}

let current: QueueHandler | undefined;
let markConnected: () => void = () => {};
const connected = new Promise<void>((resolve) => {
  markConnected = resolve;
});

/**
 * A logger connected to the listener, usable at once, inside a Bun worker. In a worker started by
 * `startWorker()` the ring comes in `workerData`, so from the first call on a record is in shared
 * memory the moment its log call returns and survives `process.exit()`, `worker.terminate()` and
 * uncaught errors. In a worker wired later by `attachWorker()`, records wait in the worker's memory
 * until the parent's setup message arrives. Later calls share the worker's producer (their producer
 * options are ignored) and give loggers with their own name, level and fields.
 */
export function workerLogger(options: WorkerLoggerOptions = {}): Logger {
  requireBun('workerLogger()');
  if (!inWorker()) throw new Error('@tributary/bun-worker: workerLogger() runs inside a worker; on the main thread use listener.logger()');
  const level = parseThreshold(options.level ?? 'info', 'workerLogger level');
  current ??= connect(options);
  const logger = new Logger(current, options.name ?? '', level);
  return options.fields === undefined ? logger : logger.child({ fields: options.fields });
}

/**
 * Resolves once this worker's records go straight into shared memory (the parent's setup has
 * arrived and been taken up); from then on a record is safe the moment its log call returns.
 * Call `workerLogger()` first; in a worker started by `startWorker()` it resolves at once. Never rejects.
 */
export function workerConnected(): Promise<void> {
  return connected;
}

/**
 * Flushes the worker's producer, says goodbye to the listener and closes the channel. Later log
 * calls are counted as undeliverable. Resolves once; never rejects.
 */
export async function closeWorkerLogger(): Promise<void> {
  await current?.close();
}

function connect(options: WorkerLoggerOptions): QueueHandler {
  const { name: _name, level: _level, fields: _fields, waitTimeout, maxBufferedBytes, ...handlerOptions } = options;
  const ringOptions = (setup: WorkerSetup) => {
    const timeout = setup.waitTimeout ?? waitTimeout;
    return timeout === undefined ? {} : { waitTimeout: timeout };
  };
  const given = setupFromWorkerData();
  let endpoint: ProducerEndpoint;
  if (given !== undefined) {
    endpoint = createRingProducerEndpoint(given.buffer, ringOptions(given));
    markConnected();
  } else {
    const deferred = createDeferredProducerEndpoint(maxBufferedBytes);
    onSetup((setup) => {
      deferred.connect(createRingProducerEndpoint(setup.buffer, ringOptions(setup)));
      markConnected();
    });
    endpoint = deferred;
  }
  const handler = new QueueHandler(endpoint, {
    ...handlerOptions,
    producer: given?.producer ?? handlerOptions.producer ?? `bun-${threadId}`,
    runtime: 'bun',
    thread: threadId,
  });
  onStopRequest(() => {
    void handler.close().finally(() => process.exit(0));
  });
  return handler;
}
