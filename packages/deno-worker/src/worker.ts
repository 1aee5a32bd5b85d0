import { Logger, QueueHandler, createDeferredProducerEndpoint, createRingProducerEndpoint, parseThreshold } from '@tributary/core';
import type { Fields, QueueHandlerOptions, Threshold } from '@tributary/core';
import { requireDeno } from './internal/runtime.ts';
import { catchSetup, inWorker, onSetup, onStopRequest, workerName } from './internal/setup.ts';

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
  /** Bytes of records kept while the parent's setup message is on its way. Default: 4 MiB. */
  readonly maxBufferedBytes?: number;
}

let current: QueueHandler | undefined;
let markConnected: () => void = () => {};
const connected = new Promise<void>((resolve) => {
  markConnected = resolve;
});

/**
 * A logger connected to the listener, usable at once, inside a Deno worker started by
 * `startWorker()` or wired by `attachWorker()`. A Web Worker gets no data at its start, so the ring
 * arrives in the parent's first message: records logged before that message was handled (code at the
 * top of the worker module, before its first `await`) wait in the worker's memory; from then on a
 * record is in shared memory the moment its log call returns and survives `self.close()`,
 * `Deno.exit()`, `worker.terminate()` and uncaught errors. Later calls share the worker's producer
 * (their producer options are ignored) and give loggers with their own name, level and fields.
 */
export function workerLogger(options: WorkerLoggerOptions = {}): Logger {
  requireDeno('workerLogger()');
  if (!inWorker()) throw new Error('@tributary/deno-worker: workerLogger() runs inside a worker; on the main thread use listener.logger()');
  const level = parseThreshold(options.level ?? 'info', 'workerLogger level');
  current ??= connect(options);
  const logger = new Logger(current, options.name ?? '', level);
  return options.fields === undefined ? logger : logger.child({ fields: options.fields });
}

/**
 * Resolves once this worker's records go straight into shared memory (the parent's setup has
 * arrived and been taken up); from then on a record is safe the moment its log call returns.
 * Call `workerLogger()` first. Never rejects.
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
  const deferred = createDeferredProducerEndpoint(maxBufferedBytes);
  const handler = new QueueHandler(deferred, {
    ...handlerOptions,
    producer: handlerOptions.producer ?? (workerName() || `deno-${crypto.randomUUID().slice(0, 8)}`),
    runtime: 'deno',
    pid: (globalThis as unknown as { Deno: { pid: number } }).Deno.pid,
  });
  onSetup((setup) => {
    const timeout = setup.waitTimeout ?? waitTimeout;
    deferred.connect(createRingProducerEndpoint(setup.buffer, timeout === undefined ? {} : { waitTimeout: timeout }));
    markConnected();
  });
  onStopRequest(() => {
    void handler.close().finally(() => (globalThis as unknown as { close(): void }).close());
  });
  return handler;
}
