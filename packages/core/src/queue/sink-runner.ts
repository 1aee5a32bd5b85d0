import { batchOf } from '../batch.ts';
import { describeThrown } from '../encode/json-value.ts';
import { endOfRun, entryWeight } from '../entry-bytes.ts';
import { afterCurrentTask } from '../internal/host.ts';
import type { LevelName } from '../levels.ts';
import { LEVEL_VALUES, isLevelName } from '../levels.ts';
import type { LogEntry, LogRecord } from '../record.ts';
import type { Sink, SinkContext } from '../sink.ts';
import { countOf, describeLoss } from './sink-losses.ts';
import type { LossNotice } from './sink-losses.ts';

/** A sink's bounded queue and its settings, as the listener runs it. */
export interface SinkRunnerSettings {
  readonly sink: Sink;
  /** Lowest level rank given to the sink. */
  readonly minimum: number;
  readonly filter: ((record: LogRecord) => boolean) | undefined;
  readonly maxPendingBytes: number;
  /** Makes one of the listener's own records. */
  readonly notice: (level: LevelName, msg: string, fields: Readonly<Record<string, unknown>>) => LogEntry;
  /** Told of every failure of this sink, with the entries involved (none for flush and close). */
  readonly onFailure: (runner: SinkRunner, operation: string, error: unknown, records: number, entries?: readonly LogEntry[]) => void;
  /** Told of records the sink reported as dropped through its context. */
  readonly onDropped: (runner: SinkRunner, records: number, reason: string) => void;
  /** Writes one of the sink's own notices to the other sinks. */
  readonly onNotice: (runner: SinkRunner, level: LevelName, msg: string, fields: Readonly<Record<string, unknown>>) => void;
}

import type { SinkSummary } from './sink-summary.ts';

export type { SinkSummary };

/** Entries per `write` call at most. */
const MAX_BATCH = 4096;
/** A run of adjacent byte lines at least this long is written as a batch of its own. */
const MIN_RUN = 64;
/** A queue this long is written at once instead of after the current task (sync sinks in tight loops). */
const INLINE_DRAIN = 1024;

/**
 * Feeds one sink from its own bounded queue, one call at a time, so that a slow, stalled or failing
 * sink never holds up the others. Losses (full queue, failed writes) are counted and, once the sink
 * writes again, reported to it in a `tributary.dropped` record.
 */
export class SinkRunner {
  private queue: LogEntry[] = [];
  private head = 0;
  private pendingBytes = 0;
  private enqueued = 0;
  private processed = 0;
  private written = 0;
  private dropped = 0;
  private failed = 0;
  /** Records handed to a write that has not returned yet. */
  private inFlight = 0;
  /** Set once stop() gave up on this sink: late results are no longer counted. */
  private abandoned = false;
  private unreported = { dropped: 0, failed: 0 };
  private pumping = false;
  /** Set while this runner is inside a call of its sink's `write` or `writeSync`: no back-pressure write then. */
  private inSinkCall = false;
  private scheduled = false;
  private closed = false;
  private readonly flushWaiters: { target: number; resolve: () => void }[] = [];

  constructor(readonly settings: SinkRunnerSettings) {}

  /** Hands the sink its context (once, before its first write); a sink without `open` gets none. */
  open(): void {
    const sink = this.settings.sink;
    if (typeof sink.open !== 'function') return;
    try {
      sink.open(this.context);
    } catch (error) {
      this.settings.onFailure(this, 'open', error, 0);
    }
  }

  /** The sink's way into the listener's accounting. Calls after stop() gave up on the sink are ignored. */
  private readonly context: SinkContext = {
    dropped: (records, reason) => {
      const count = countOf(records);
      if (this.abandoned || count === 0) return;
      this.dropped += count;
      this.settings.onDropped(this, count, typeof reason === 'string' ? reason : String(reason));
    },
    failed: (error, records) => {
      if (this.abandoned) return;
      const count = countOf(records);
      this.failed += count;
      this.settings.onFailure(this, 'deliver', error, count);
    },
    notice: (level, event, message, fields) => {
      if (this.abandoned) return;
      this.settings.onNotice(this, isLevelName(level) ? level : 'info', String(message), { event: String(event), ...(fields ?? {}) });
    },
  };

  get name(): string {
    return this.settings.sink.name;
  }

  get stats(): SinkSummary {
    return {
      name: this.name,
      written: this.written,
      dropped: this.dropped,
      failed: this.failed,
      pending: this.queue.length - this.head,
      writing: this.inFlight,
    };
  }

  /** Queues the entries this sink's level and filter let through. */
  enqueue(entries: readonly LogEntry[]): void {
    if (this.closed) return;
    const { minimum, filter, maxPendingBytes } = this.settings;
    // Every record passes the lowest threshold: its level need not even be read.
    const everyLevel = minimum <= LEVEL_VALUES.trace;
    for (const entry of entries) {
      if (!everyLevel && LEVEL_VALUES[entry.level] < minimum) continue;
      if (filter !== undefined && !this.passes(filter, entry)) continue;
      if (this.pendingBytes >= maxPendingBytes && !this.relieve(maxPendingBytes)) {
        this.dropped += 1;
        this.unreported.dropped += 1;
        continue;
      }
      this.queue.push(entry);
      this.pendingBytes += entryWeight(entry);
      this.enqueued += 1;
    }
    this.schedule();
  }

  /** Resolves once everything queued before the call was handled and the sink was flushed. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.flushWaiters.push({ target: this.enqueued, resolve });
      this.schedule();
    });
  }

  /**
   * Writes what is queued with the sink's `writeSync`, if it has one (the process is exiting, or a
   * signal is about to end it). Runs even while an asynchronous write is pending: at exit that
   * write's continuation never runs, and the records behind it would otherwise be lost. With nothing
   * queued, the sink still gets an empty batch, so that it writes what it holds from earlier writes.
   */
  drainSync(): void {
    const writeSync = this.settings.sink.writeSync;
    if (writeSync === undefined) return;
    const unreported = this.unreported.dropped + this.unreported.failed;
    if (this.head >= this.queue.length && unreported === 0) {
      if (this.closed) return;
      try {
        writeSync.call(this.settings.sink, batchOf([]));
      } catch (error) {
        this.settings.onFailure(this, 'writeSync', error, 0);
      }
      return;
    }
    // Losses not yet reported to this sink go first, even with nothing else left to write.
    let loss = this.takeLossNotice();
    while (this.head < this.queue.length || loss !== undefined) {
      const taken = this.take();
      const batch = loss === undefined ? taken : [loss.entry, ...taken];
      loss = undefined;
      try {
        writeSync.call(this.settings.sink, batchOf(batch));
        this.written += batch.length;
      } catch (error) {
        this.failed += taken.length;
        this.settings.onFailure(this, 'writeSync', error, taken.length, taken);
      }
      this.processed += taken.length;
    }
  }

  /**
   * Gives up on the sink (it did not finish within the listener's stopTimeout): what is still queued
   * or in an unsettled write is counted as failed, and a late result of that write is ignored.
   * Returns how many records were given up.
   */
  abandon(): number {
    this.closed = true;
    if (this.abandoned) return 0;
    this.abandoned = true;
    const givenUp = this.queue.length - this.head + this.inFlight;
    this.failed += givenUp;
    this.queue = [];
    this.head = 0;
    this.pendingBytes = 0;
    this.inFlight = 0;
    for (const waiter of this.flushWaiters.splice(0, this.flushWaiters.length)) waiter.resolve();
    return givenUp;
  }

  /**
   * Stops taking records, then closes the sink. What it accepted but could not deliver it reports
   * through its context before `close()` resolves.
   */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.settings.sink.close();
    } catch (error) {
      this.settings.onFailure(this, 'close', error, 0);
    }
  }

  private passes(filter: (record: LogRecord) => boolean, entry: LogEntry): boolean {
    try {
      return filter(entry.record) === true;
    } catch (error) {
      this.settings.onFailure(this, 'filter', error, 0, [entry]);
      return true;
    }
  }

  private schedule(): void {
    if (this.pumping) return;
    if (this.queue.length - this.head >= INLINE_DRAIN) {
      void this.pump();
    } else if (!this.scheduled) {
      this.scheduled = true;
      afterCurrentTask(() => {
        this.scheduled = false;
        void this.pump();
      });
    }
  }

  private take(): LogEntry[] {
    let end = Math.min(this.queue.length, this.head + MAX_BATCH);
    // A long run of records that arrived together as bytes goes in a batch of its own: the sink can
    // then write those bytes as they are, without copying them together with others.
    const run = endOfRun(this.queue, this.head, end);
    if (run - this.head >= MIN_RUN) end = run;
    const batch = this.queue.slice(this.head, end);
    this.head = end;
    for (const entry of batch) this.pendingBytes -= entryWeight(entry);
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 65_536) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** Writes batches and honours flush requests in order; runs synchronously while the sink does. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        if (this.abandoned) break;
        if (this.head < this.queue.length) {
          const taken = this.take();
          const writing = this.writeBatch(taken, this.takeLossNotice());
          if (writing !== undefined) await writing;
          this.processed += taken.length;
        } else if (this.flushWaiters.length > 0 && (this.flushWaiters[0] as { target: number }).target <= this.processed) {
          const ready = this.flushWaiters.splice(0, this.flushWaiters.length);
          try {
            await this.settings.sink.flush();
          } catch (error) {
            this.settings.onFailure(this, 'flush', error, 0);
          }
          for (const waiter of ready) waiter.resolve();
        } else {
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Writes the batch, preceded by the loss notice if there is one. Returns a promise only when the
   * sink's write did not complete synchronously: after a synchronous write the pump goes on at once
   * (in a loop that never yields it could not go on later). When the write fails, the notice's
   * counts go back to the unreported ones (the notice is not itself counted as a lost record), so
   * the next notice still has the exact total.
   */
  private writeBatch(taken: LogEntry[], loss: LossNotice | undefined): Promise<void> | undefined {
    const batch = loss === undefined ? taken : [loss.entry, ...taken];
    this.inFlight += taken.length;
    let result: void | Promise<void>;
    this.inSinkCall = true;
    try {
      result = this.settings.sink.write(batchOf(batch));
    } catch (error) {
      this.inSinkCall = false;
      this.writeSettled(taken, batch.length, loss, { error });
      return undefined;
    }
    this.inSinkCall = false;
    if (result === undefined) {
      this.writeSettled(taken, batch.length, loss, undefined);
      return undefined;
    }
    return Promise.resolve(result).then(
      () => this.writeSettled(taken, batch.length, loss, undefined),
      (error: unknown) => this.writeSettled(taken, batch.length, loss, { error }),
    );
  }

  /** Counts a write that returned or settled (ignored once stop() gave up on the sink). */
  private writeSettled(taken: LogEntry[], records: number, loss: LossNotice | undefined, failure: { readonly error: unknown } | undefined): void {
    if (this.abandoned) return;
    this.inFlight -= taken.length;
    if (failure === undefined) {
      this.written += records;
      return;
    }
    this.failed += taken.length;
    this.unreported.failed += taken.length;
    if (loss !== undefined) {
      this.unreported.dropped += loss.dropped;
      this.unreported.failed += loss.failed;
    }
    this.settings.onFailure(this, 'write', failure.error, taken.length, taken);
  }

  /**
   * Back-pressure instead of a drop, for a sink that declared `syncBackPressure`: the queue is full.
   * A pump not running yet starts now (a synchronous write then makes room at once); if the pump is
   * waiting for the sink, the oldest queued batch (at most {@link MAX_BATCH} records) is written now with `writeSync`, on
   * the thread handing records over (in a loop that never yields, a pending write never settles).
   * Batches come from the head of the queue, like the pump's, and the sink writes a pending write's
   * records first: nothing is reordered or written twice. Repeats only while the queue is still
   * full. False when it cannot help (no capability, re-entered from the sink, nothing queued): the
   * record is then dropped and counted. A failing `writeSync` counts like a failing `write`.
   */
  private relieve(maxPendingBytes: number): boolean {
    const sink = this.settings.sink;
    if (sink.syncBackPressure !== true || typeof sink.writeSync !== 'function' || this.inSinkCall || this.abandoned) return false;
    // The pump not started yet (a full queue of records that arrived since the last task): write now.
    if (!this.pumping) void this.pump();
    while (this.pendingBytes >= maxPendingBytes) {
      if (this.head >= this.queue.length) return false;
      const taken = this.take();
      const loss = this.takeLossNotice();
      const batch = loss === undefined ? taken : [loss.entry, ...taken];
      this.inSinkCall = true;
      try {
        sink.writeSync(batchOf(batch));
        this.written += batch.length;
      } catch (error) {
        this.failed += taken.length;
        this.unreported.failed += taken.length;
        if (loss !== undefined) {
          this.unreported.dropped += loss.dropped;
          this.unreported.failed += loss.failed;
        }
        this.settings.onFailure(this, 'writeSync', error, taken.length, taken);
      } finally {
        this.inSinkCall = false;
      }
      this.processed += taken.length;
    }
    return true;
  }

  /** A `tributary.dropped` record for the losses not yet reported to this sink, if any. */
  private takeLossNotice(): LossNotice | undefined {
    const { dropped, failed } = this.unreported;
    if (dropped === 0 && failed === 0) return undefined;
    this.unreported = { dropped: 0, failed: 0 };
    const entry = this.settings.notice('warn', 'tributary.dropped', {
      dropped: dropped + failed,
      queueFull: dropped,
      writeFailed: failed,
      sink: this.name,
      reason: describeLoss(dropped, failed),
    });
    return { entry, dropped, failed };
  }
}

/** The error's text for reports. */
export function failureText(error: unknown): string {
  return describeThrown(error);
}
