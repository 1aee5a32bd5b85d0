import type { SinkContext } from '../sink.ts';
import type { DiskSpool } from '../spool/disk-spool.ts';

/** What a sink with a spool holds per record: its canonical line, and the spool file it was read from, if any. */
export interface Spoolable {
  /** The record's canonical line (kept when the sink has a spool, so that it can go to disk). */
  readonly line?: string;
  /** The spool file the record was read back from (undefined: it came from a write). */
  readonly segment?: number;
}

/**
 * Where a sink's memory and its {@link DiskSpool} meet: what goes to disk (newer records after
 * everything spooled; what the sink holds when it has to let go, before everything), how spooled
 * records come back (the oldest spool file, revived into the sink's own items), and when a spool
 * file leaves the disk: once each of its records was answered for (delivered, or counted) by
 * {@link answered}. Until then a crash sends its records again (at least once).
 */
export class SpoolBridge<T extends Spoolable> {
  /** Spool files handed out and how many of their records still wait for an answer. */
  private readonly unanswered = new Map<number, number>();
  private spooledCount = 0;

  /**
   * `revive` turns a spooled line back into the sink's item (with `line` and `segment` set); it
   * throws for a line that is not a record, which is then reported dropped.
   */
  constructor(
    readonly spool: DiskSpool,
    private readonly revive: (line: string, segment: number) => T,
    private readonly reporter: SinkContext,
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
   * Writes what the sink holds (`items`, oldest first; those without a line are skipped) before
   * everything else in the spool, in place of every spool file handed out and not answered for:
   * `items` must hold all of their records not answered for yet.
   */
  spill(items: readonly T[]): void {
    const lines: string[] = [];
    for (const item of items) if (item.line !== undefined) lines.push(item.line);
    if (lines.length === 0 && this.unanswered.size === 0) return;
    this.spooledCount += this.spool.prepend(lines, [...this.unanswered.keys()], this.reporter);
    this.unanswered.clear();
  }

  /** Hands the records of the oldest spool file, revived, to `push`, oldest first; false when the spool is empty. A line that is not a record is reported dropped. */
  refill(push: (item: T) => void): boolean {
    const chunk = this.spool.takeOldest(this.reporter);
    if (chunk === undefined) return false;
    let unreadable = 0;
    let held = 0;
    for (const line of chunk.lines) {
      let item: T;
      try {
        item = this.revive(line, chunk.segment);
      } catch {
        unreadable += 1;
        continue;
      }
      push(item);
      held += 1;
    }
    this.reporter.dropped(unreadable, `lines in the spool in ${this.spool.dir} were not records`);
    if (held === 0) this.spool.confirm(chunk.segment);
    else this.unanswered.set(chunk.segment, held);
    return true;
  }

  /** `items` were answered for (delivered, or counted lost): spool files with nothing left unanswered are removed. */
  answered(items: readonly T[]): void {
    for (const item of items) {
      if (item.segment === undefined) continue;
      const left = (this.unanswered.get(item.segment) ?? 0) - 1;
      if (left > 0) this.unanswered.set(item.segment, left);
      else if (this.unanswered.delete(item.segment)) this.spool.confirm(item.segment);
    }
  }
}
