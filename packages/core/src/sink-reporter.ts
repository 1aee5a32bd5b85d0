import { describeThrown } from './encode/json-value.ts';
import { reportToConsole } from './internal/host.ts';
import type { LevelName } from './levels.ts';
import type { SinkContext } from './sink.ts';

/**
 * A sink's side of its {@link SinkContext}: forwards every report to the context the listener
 * handed over in `open()`, counts the records reported (for the sink's `stats.dropped` and
 * `stats.failed`), and, for a sink used outside a listener (no context yet), writes each report as
 * one line to the console's error stream instead. Never throws.
 *
 * ```ts
 * private readonly reporter = new SinkReporter('my-sink');
 * open(context: SinkContext) { this.reporter.open(context); }
 * ```
 */
export class SinkReporter implements SinkContext {
  private context: SinkContext | undefined;
  private droppedCount = 0;
  private failedCount = 0;

  /** `sinkName` names the sink in the console lines written without a context. */
  constructor(readonly sinkName: string) {}

  /** Takes the listener's context; later reports go there. */
  open(context: SinkContext): void {
    this.context = context;
  }

  /** Records reported dropped so far. */
  get droppedRecords(): number {
    return this.droppedCount;
  }

  /** Records reported failed so far. */
  get failedRecords(): number {
    return this.failedCount;
  }

  dropped(records: number, reason: string): void {
    if (!(records > 0)) return;
    this.droppedCount += records;
    this.forward(
      (context) => context.dropped(records, reason),
      () => `sink ${this.sinkName} dropped ${records} records: ${reason}`,
    );
  }

  failed(error: unknown, records: number): void {
    this.failedCount += records > 0 ? records : 0;
    this.forward(
      (context) => context.failed(error, records),
      () => `sink ${this.sinkName} failed (${records} records lost): ${describeThrown(error)}`,
    );
  }

  notice(level: LevelName, event: string, message: string, fields?: Readonly<Record<string, unknown>>): void {
    this.forward(
      (context) => context.notice(level, event, message, fields),
      () => `sink ${this.sinkName}: ${message}`,
    );
  }

  private forward(toContext: (context: SinkContext) => void, line: () => string): void {
    try {
      if (this.context !== undefined) toContext(this.context);
      else reportToConsole(`tributary: ${line()}`);
    } catch {
      // a report must never break the sink
    }
  }
}
