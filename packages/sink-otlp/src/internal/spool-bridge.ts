import { entryFromLine } from '@tributary/core/sink';
import type { DiskSpool, SinkReporter } from '@tributary/core/sink';
import type { LogsEncoder } from '../encoding/encoder.ts';
import type { HeldRecord, RecordBuffer } from './record-buffer.ts';

/**
 * The OTLP sink's side of its disk spool: what goes to disk (a write the buffer cannot hold
 * during an outage, what the sink holds when it gives up, stops or the process ends), and how
 * spooled records come back (oldest spool file first, into the empty buffer) and leave the disk
 * (a spool file is removed once each of its records was answered for: delivered, rejected or refused).
 */
export class SpoolBridge {
  /** Spool files handed out and how many of their records still wait for an answer. */
  private readonly unanswered = new Map<number, number>();
  private spooledCount = 0;

  constructor(
    readonly spool: DiskSpool,
    private readonly encoder: LogsEncoder,
    private readonly reporter: SinkReporter,
  ) {}

  /** Records on disk, not read back yet. */
  get backlog(): number {
    return this.spool.records;
  }

  /** Records written to the spool so far (each time it was written). */
  get spooled(): number {
    return this.spooledCount;
  }

  /** Appends newer records' canonical lines after everything spooled. */
  append(lines: readonly string[]): void {
    this.spooledCount += this.spool.append(lines, this.reporter);
  }

  /**
   * Writes what the sink holds (`records`, oldest first) before everything else in the spool, in
   * place of the spool files they were read from: nothing is lost when the sink stops or the process ends.
   */
  spill(records: readonly HeldRecord[]): void {
    const lines: string[] = [];
    for (const record of records) if (record.line !== undefined) lines.push(record.line);
    if (lines.length === 0 && this.unanswered.size === 0) return;
    this.spooledCount += this.spool.prepend(lines, [...this.unanswered.keys()], this.reporter);
    this.unanswered.clear();
  }

  /** Fills the (empty) buffer from the oldest spool file; false when the spool is empty. A line that is not a record is reported dropped. */
  refill(buffer: RecordBuffer): boolean {
    const chunk = this.spool.takeOldest(this.reporter);
    if (chunk === undefined) return false;
    let unreadable = 0;
    let held = 0;
    for (const line of chunk.lines) {
      try {
        const encoded = this.encoder.encodeRecord(entryFromLine(line).record);
        buffer.push({ ...encoded, line, segment: chunk.segment });
        held += 1;
      } catch {
        unreadable += 1;
      }
    }
    this.reporter.dropped(unreadable, `lines in the spool in ${this.spool.dir} were not records`);
    if (held === 0) this.spool.confirm(chunk.segment);
    else this.unanswered.set(chunk.segment, held);
    return true;
  }

  /** `records` were answered for (delivered, rejected, refused, or counted lost): spool files with nothing left unanswered are removed. */
  answered(records: readonly HeldRecord[]): void {
    for (const record of records) {
      if (record.segment === undefined) continue;
      const left = (this.unanswered.get(record.segment) ?? 0) - 1;
      if (left > 0) this.unanswered.set(record.segment, left);
      else if (this.unanswered.delete(record.segment)) this.spool.confirm(record.segment);
    }
  }
}
