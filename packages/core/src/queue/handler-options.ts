import type { EncodeLimits } from '../encode/limits.ts';
import type { RedactOptions } from '../encode/redact.ts';

/** Options of a {@link QueueHandler}, the producer side of the queue. */
export interface QueueHandlerOptions {
  /** The producer's stable id, unique per listener (e.g. `w3`). Required. */
  readonly producer: string;
  /** The runtime's name for the hello frame. Default: `'js'`. */
  readonly runtime?: string;
  /** The process id written in every record. Default: the current process id (0 if unknown). */
  readonly pid?: number;
  /** The thread id for the hello frame. Default: 0. */
  readonly thread?: number;
  /** Records per batch frame; a full batch is sent at once. Default: 256. */
  readonly batchSize?: number;
  /**
   * How long a record may wait in a partial batch, in milliseconds. 0 sends at the end of the current
   * synchronous run of code (a microtask). Default: 0.
   */
  readonly flushInterval?: number;
  /**
   * Characters (UTF-16 code units, as JavaScript counts a string's length; equal to bytes for
   * ASCII) of records that may be queued or sent without acknowledgement. When full, new records
   * are dropped, counted and reported as one `tributary.dropped` record as soon as there is room
   * again. Default: 16,777,216 (16 Mi).
   */
  readonly maxQueuedChars?: number;
  /** How long `flush()` waits for the listener's confirmation, in milliseconds. Default: 10,000. */
  readonly flushTimeout?: number;
  /** Limits on one record's size and depth. Default: see {@link EncodeLimits}. */
  readonly limits?: EncodeLimits;
  /**
   * Field names whose values are censored in every record of this producer, at any depth and in any
   * case, before the record is queued: `{ keys: ['password', 'token'], censor: '***' }`. The
   * secrets never reach the channel, the listener or a sink. Default: none.
   */
  readonly redact?: RedactOptions;
  /**
   * Receives lines that could not be handed to the channel (it was closed or failed), e.g. to write
   * them to stderr. Default: none; they are counted in `stats.undeliverable`.
   */
  readonly fallback?: (lines: readonly string[]) => void;
  /**
   * Receives the notice about records logged after `close()` (or the listener's `stop()`), which
   * are not written: at most one notice per second, with the running count. Default: one line on
   * the console's error stream.
   */
  readonly reportAfterClose?: (message: string) => void;
}

export interface ResolvedHandlerOptions {
  readonly producer: string;
  readonly runtime: string;
  readonly pid: number;
  readonly thread: number;
  readonly batchSize: number;
  readonly flushInterval: number;
  readonly maxQueuedChars: number;
  readonly flushTimeout: number;
}

/** Checks options at configuration time and fills in defaults; throws a clear error on bad input. */
export function resolveHandlerOptions(options: QueueHandlerOptions, defaultPid: number): ResolvedHandlerOptions {
  if (typeof options?.producer !== 'string' || options.producer.length === 0) {
    throw new TypeError('QueueHandler: producer must be a non-empty string (e.g. "w3")');
  }
  if (options.fallback !== undefined && typeof options.fallback !== 'function') {
    throw new TypeError('QueueHandler: fallback must be a function receiving the lines');
  }
  if (options.reportAfterClose !== undefined && typeof options.reportAfterClose !== 'function') {
    throw new TypeError('QueueHandler: reportAfterClose must be a function receiving the message');
  }
  return {
    producer: options.producer,
    runtime: options.runtime ?? 'js',
    pid: checkInteger(options.pid ?? defaultPid, 'pid', 0),
    thread: checkInteger(options.thread ?? 0, 'thread', 0),
    batchSize: checkInteger(options.batchSize ?? 256, 'batchSize', 1),
    flushInterval: checkInteger(options.flushInterval ?? 0, 'flushInterval', 0),
    maxQueuedChars: checkInteger(options.maxQueuedChars ?? 16 * 1024 * 1024, 'maxQueuedChars', 1),
    flushTimeout: checkInteger(options.flushTimeout ?? 10_000, 'flushTimeout', 1),
  };
}

/** Checks one integer option at configuration time. */
export function checkInteger(value: unknown, name: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`${name} must be an integer ≥ ${minimum}; got ${String(value)}`);
  }
  return value;
}
