import { afterCurrentTask, reportToConsole, startTimer } from '../internal/host.ts';

/** The shortest time between two notices about records logged after close, in milliseconds. */
export const AFTER_CLOSE_NOTICE_INTERVAL_MS = 1000;

/**
 * Counts records logged after a handler was closed and tells about them: one notice for a burst of
 * calls, then at most one per {@link AFTER_CLOSE_NOTICE_INTERVAL_MS}, each with the running count.
 * Never throws; its timer never keeps the process alive.
 */
export class AfterCloseNotice {
  /** Records logged after close, in all. */
  count = 0;
  private reportedCount = 0;
  private lastReportAtMs = Number.NEGATIVE_INFINITY;
  private scheduled = false;
  private readonly report: (message: string) => void;

  constructor(report: ((message: string) => void) | undefined) {
    this.report = report ?? ((message) => reportToConsole(`tributary: ${message}`));
  }

  /** Counts one record and makes sure a notice about it will go out. */
  countOne(): void {
    this.count += 1;
    if (this.scheduled) return;
    this.scheduled = true;
    const waitMs = this.lastReportAtMs + AFTER_CLOSE_NOTICE_INTERVAL_MS - Date.now();
    if (waitMs > 0) startTimer(() => this.sendNotice(), waitMs);
    else afterCurrentTask(() => this.sendNotice());
  }

  private sendNotice(): void {
    this.scheduled = false;
    if (this.count === this.reportedCount) return;
    this.reportedCount = this.count;
    this.lastReportAtMs = Date.now();
    const records = this.count === 1 ? '1 record' : `${this.count} records`;
    try {
      this.report(`${records} logged after listener.stop() were not written`);
    } catch {
      // a notice that cannot be given must not break a log call
    }
  }
}
