import type { Batch } from './batch.ts';
import type { LevelName, Threshold } from './levels.ts';
import type { LogRecord } from './record.ts';

/**
 * A destination for records. Only the listener calls a sink, one call at a time: `write` is never
 * called again before the previous call's promise settled, and `flush`/`close` wait for writes.
 */
export interface Sink {
  /** A short name used in error reports, e.g. `stdout` or `file:/var/log/app.log`. */
  readonly name: string;
  /**
   * Called once by the listener, before the first write, with the way to report what the sink
   * could not deliver. Optional: a sink used outside a listener gets no context and must still work.
   */
  open?(context: SinkContext): void;
  /**
   * Writes a batch of records in order. May complete synchronously (return nothing) or return a
   * promise. After `close()` it must throw or reject with {@link SinkClosedError}. A write that
   * throws or rejects is counted by the listener as failed (all its records) and reported; a
   * destination problem the sink handles itself (retry, buffer, give up) goes through its
   * {@link SinkContext} instead.
   */
  write(batch: Batch): void | Promise<void>;
  /**
   * Optional synchronous write used when the process is about to end (after `process.exit()`, where
   * promises never settle, or on a termination signal). Writes what the sink still holds from
   * earlier `write` calls first, then `batch`; the listener calls it with an empty batch when it has
   * nothing queued, so that the sink writes what it holds. Sinks that cannot write synchronously
   * leave it out.
   */
  writeSync?(batch: Batch): void;
  /**
   * Optional capability: `true` declares that `writeSync` delivers (the records are at the
   * destination, or handed to it, when it returns — a file, a descriptor; not a report of a drop) and
   * may be called at any moment while the sink is open, also while an earlier `write` has not settled
   * (it then writes that write's records first, so none is written twice or out of order, and the
   * sink goes on working normally afterwards; that write then settles as usual). The listener uses it
   * for back-pressure: when this sink's queue is full (`maxPendingBytes`), the call that hands over
   * the next record (a log call on the listener's thread, records taken from a worker) first writes
   * the oldest queued batch (at most 4,096 records) with `writeSync`, on that thread, instead of
   * dropping the record. Without it a full queue drops new records, counted and reported. Sinks
   * that cannot write synchronously (a socket, `fetch`) leave it out. Default: `false`.
   */
  readonly syncBackPressure?: boolean;
  /** Pushes buffered records to their destination. */
  flush(): Promise<void>;
  /**
   * Flushes and releases the destination. Idempotent. Records the sink accepted but could not
   * deliver are reported through `context.dropped` before the promise resolves.
   */
  close(): Promise<void>;
  /** Same as `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
  /** The sink's own counters, a fresh snapshot on every read. Optional; every sink of this project has it. */
  readonly stats?: SinkStats;
}

/** Handed to a sink once by the listener (`Sink.open(context)`), before its first write. */
export interface SinkContext {
  /**
   * Records this sink accepted but will never deliver: counted in the summary (this sink's
   * `dropped`, the total `dropped`) and reported in one `tributary.dropped` record to the other sinks.
   */
  dropped(records: number, reason: string): void;
  /**
   * A failure: counted in this sink's `failed` (the records lost with it, may be 0) and reported as
   * a `tributary.sink_error` record to the other sinks (rate-limited like every sink failure).
   */
  failed(error: unknown, records: number): void;
  /**
   * A state change worth a record (e.g. `tributary.reconnected`): written to the other sinks as a
   * record with msg `message`, logger `tributary`, the given level and fields, and the field
   * `event` holding `event`.
   */
  notice(level: LevelName, event: string, message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** One stats shape, read the same way on every sink (`sink.stats`); sinks may add fields of their own. */
export interface SinkStats {
  /** Records delivered to the destination (or handed to it, for a stream the sink does not own). */
  readonly written: number;
  /** Records accepted but given up by the sink (reported through `context.dropped`). */
  readonly dropped: number;
  /** Records lost with failures (reported through `context.failed` or a failed write). */
  readonly failed: number;
  /** Records accepted and not yet written. */
  readonly pendingRecords: number;
  /** UTF-8 bytes of those records. */
  readonly pendingBytes: number;
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
   * How many bytes of records may wait for this sink (records that arrived as UTF-8 bytes count
   * their bytes, records that arrived as text their characters: the same for ASCII); beyond it new
   * records for this sink are dropped, counted and reported in a `tributary.dropped` record.
   * Default: the listener's `maxPendingBytesPerSink` (64 MiB).
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
