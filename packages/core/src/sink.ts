import type { LogEntry, LogRecord } from './record.ts';
import type { Threshold } from './levels.ts';

/**
 * A destination for records. Only the listener calls a sink, one call at a time: `write` is never
 * called again before the previous call's promise settled, and `flush`/`close` wait for writes.
 */
export interface Sink {
  /** A short name used in error reports, e.g. `stdout` or `file:/var/log/app.log`. */
  readonly name: string;
  /**
   * Writes a batch of records in order. May complete synchronously (return nothing) or return a
   * promise. After `close()` it must throw or reject with {@link SinkClosedError}.
   */
  write(batch: readonly LogEntry[]): void | Promise<void>;
  /**
   * Optional synchronous write used when the process is about to exit (after `process.exit()`, where
   * promises never settle). Sinks that cannot write synchronously leave it out.
   */
  writeSync?(batch: readonly LogEntry[]): void;
  /** Pushes buffered records to their destination. */
  flush(): Promise<void>;
  /**
   * Flushes and releases the destination. Idempotent. A sink that accepted records it could not
   * deliver (e.g. a remote collector that stayed unreachable) may resolve with a
   * {@link SinkCloseReport}: the listener counts them as dropped for this sink (`stats.dropped`)
   * and reports them. Resolving with nothing means everything accepted was delivered.
   */
  close(): Promise<void | SinkCloseReport>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** What a sink's `close()` may resolve with. */
export interface SinkCloseReport {
  /** Records the sink accepted (its write returned) but never delivered. */
  readonly undelivered: number;
}

/** A sink with its own level threshold and filter, as the listener is configured with it. */
export interface SinkBinding {
  /** The sink. */
  readonly sink: Sink;
  /** Records below this level are not given to the sink. Default: `'trace'` (everything). */
  readonly level?: Threshold;
  /** Records for which this returns false are not given to the sink. Default: none. */
  readonly filter?: (record: LogRecord) => boolean;
  /**
   * How many bytes of records may wait for this sink; beyond it new records for this sink are
   * dropped, counted and reported in a `tributary.dropped` record. Default: the listener's
   * `maxPendingBytesPerSink` (64 MiB).
   */
  readonly maxPendingBytes?: number;
}

/** Thrown by a sink's `write` after `close()`. */
export class SinkClosedError extends Error {
  override readonly name = 'SinkClosedError';
  /** A stable code for recognising this error across realms. */
  readonly code = 'TRIBUTARY_SINK_CLOSED';
  constructor(sinkName: string) {
    super(`sink ${sinkName} is closed: it accepts no more records`);
  }
}
