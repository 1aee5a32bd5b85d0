import type { SinkReporter } from '@tributary/core/sink';

/** Drops of one kind are reported at most this often while they go on; the rest wait for the next report. */
const DROP_REPORT_INTERVAL_MS = 1_000;

/**
 * Gathers the records the sink drops while an outage goes on, so that a long outage under load
 * gives one `dropped` report a second, not one per batch. What is gathered is reported at once by
 * `settle()` (on reconnection, flush and close): every dropped record is reported exactly once.
 */
export class DropReports {
  private gathered = 0;
  private gatheredReason = '';
  private lastReport = Number.NEGATIVE_INFINITY;

  constructor(private readonly reporter: SinkReporter) {}

  /** Records dropped so far: reported, and gathered for the next report. */
  get total(): number {
    return this.reporter.droppedRecords + this.gathered;
  }

  /** `records` accepted records will never be delivered, for `reason`. */
  add(records: number, reason: string): void {
    if (records <= 0) return;
    if (this.gathered > 0 && reason !== this.gatheredReason) this.settle();
    this.gathered += records;
    this.gatheredReason = reason;
    if (Date.now() - this.lastReport >= DROP_REPORT_INTERVAL_MS) this.settle();
  }

  /** Reports the drops gathered so far, if any. */
  settle(): void {
    if (this.gathered === 0) return;
    const records = this.gathered;
    this.gathered = 0;
    this.lastReport = Date.now();
    this.reporter.dropped(records, this.gatheredReason);
  }
}
