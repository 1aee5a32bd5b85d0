import type { LevelName, SinkContext } from '@tributary/core/sink';

/** Drops of one kind are reported at most this often while they go on; the rest wait for the next report. */
const DROP_REPORT_INTERVAL_MS = 1_000;

/**
 * The sink's one way to say what happened: through the listener's {@link SinkContext} once `open()`
 * gave it one, else (a sink used on its own) as one line on the console's error stream. Drops are
 * gathered and reported at most once a second while they go on, and at once when `settle()` is
 * called (reconnection, close): every dropped record is reported exactly once.
 */
export class Reporter {
  private context: SinkContext | undefined;
  private unreported = 0;
  private unreportedReason = '';
  private lastDropReport = Number.NEGATIVE_INFINITY;

  /** Records given to `dropped` so far: those reported, and those gathered for the next report. */
  droppedTotal = 0;

  constructor(private readonly sinkName: string) {}

  /** From now on, reports go to the listener. */
  attach(context: SinkContext): void {
    this.context = context;
  }

  /** `records` accepted records will never be delivered, for `reason`. */
  dropped(records: number, reason: string): void {
    if (records <= 0) return;
    this.droppedTotal += records;
    if (this.unreported > 0 && reason !== this.unreportedReason) this.settle();
    this.unreported += records;
    this.unreportedReason = reason;
    if (Date.now() - this.lastDropReport >= DROP_REPORT_INTERVAL_MS) this.settle();
  }

  /** Reports the drops gathered so far, if any. */
  settle(): void {
    if (this.unreported === 0) return;
    const records = this.unreported;
    this.unreported = 0;
    this.lastDropReport = Date.now();
    this.call((context) => context.dropped(records, this.unreportedReason), `dropped ${records} records: ${this.unreportedReason}`);
  }

  /** A failure of the destination (no record lost with it by itself: losses go through `dropped`). */
  failed(error: Error): void {
    this.call((context) => context.failed(error, 0), error.message);
  }

  /** A state change worth a record, e.g. `tributary.reconnected`. */
  notice(level: LevelName, event: string, message: string, fields: Readonly<Record<string, unknown>>): void {
    this.call((context) => context.notice(level, event, message, fields), `${message} ${JSON.stringify(fields)}`);
  }

  private call(report: (context: SinkContext) => void, text: string): void {
    try {
      if (this.context !== undefined) report(this.context);
      else console.error(`tributary: socket sink ${this.sinkName}: ${text}`);
    } catch {
      // reporting never breaks the sink
    }
  }
}
