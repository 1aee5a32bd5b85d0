import { getEnvironmentData, isMainThread, parentPort, threadId } from 'node:worker_threads';
import { Logger, QueueHandler, claimRing, createDeferredProducerEndpoint, createRingProducerEndpoint, parseThreshold } from '@tributary/core';
import type { Fields, ProducerEndpoint, QueueHandlerOptions, Threshold } from '@tributary/core';
import { CONNECTION_KEY, connectionOf } from './internal/connection.ts';
import type { WorkerConnection } from './internal/connection.ts';

/** Options of {@link workerLogger}. The first call in a thread also sets up the thread's producer. */
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

interface ThreadProducer {
  readonly handler: QueueHandler;
}

let current: ThreadProducer | undefined;

/**
 * A logger connected to the listener, usable at once. Inside a worker started with `startWorker()`
 * it writes into the worker's shared-memory ring: a record is safe the moment the call returns.
 * Inside a worker wired later with `attachWorker()`, records are kept in memory until the ring
 * arrives. Later calls in the same thread share the thread's producer (their producer options are
 * ignored) and give loggers with their own name, level and fields.
 */
export function workerLogger(options: WorkerLoggerOptions = {}): Logger {
  if (isMainThread) {
    throw new Error('@tributary/node-worker: workerLogger() runs inside a worker thread; on the main thread use listener.logger()');
  }
  const level = parseThreshold(options.level ?? 'info', 'workerLogger level');
  current ??= connect(options);
  const logger = new Logger(current.handler, options.name ?? '', level);
  return options.fields === undefined ? logger : logger.child({ fields: options.fields });
}

/**
 * Flushes the thread's producer, says goodbye to the listener and closes the channel. Later log
 * calls are counted as undeliverable. Resolves once; never rejects.
 */
export async function closeWorkerLogger(): Promise<void> {
  await current?.handler.close();
}

function connect(options: WorkerLoggerOptions): ThreadProducer {
  const { name: _name, level: _level, fields: _fields, waitTimeout, maxBufferedBytes, ...handlerOptions } = options;
  const given = getEnvironmentData(CONNECTION_KEY) as WorkerConnection | undefined;
  const connection = given !== undefined && given.ring instanceof SharedArrayBuffer && claimRing(given.ring) ? given : undefined;
  const ringOptions = (chosen: WorkerConnection) => {
    const timeout = chosen.waitTimeout ?? waitTimeout;
    return timeout === undefined ? {} : { waitTimeout: timeout };
  };
  let endpoint: ProducerEndpoint;
  if (connection !== undefined) {
    endpoint = createRingProducerEndpoint(connection.ring, ringOptions(connection));
  } else {
    const deferred = createDeferredProducerEndpoint(maxBufferedBytes);
    const port = parentPort;
    const receive = (message: unknown): void => {
      const attached = connectionOf(message);
      if (attached === undefined || !claimRing(attached.ring)) return;
      port?.off('message', receive);
      deferred.connect(createRingProducerEndpoint(attached.ring, ringOptions(attached)));
    };
    port?.on('message', receive);
    endpoint = deferred;
  }
  const handler = new QueueHandler(endpoint, {
    ...handlerOptions,
    producer: connection?.producer ?? handlerOptions.producer ?? `w${threadId}`,
    runtime: 'node',
    thread: threadId,
  });
  // A clean end (or process.exit() in the worker) says goodbye; the ring write is synchronous.
  process.once('exit', () => handler.closeNow());
  return { handler };
}
