import { RecordEncoder } from '../encode/record-encoder.ts';
import type { EncodeLimits } from '../encode/limits.ts';
import { entryFromLine } from '../entry.ts';
import type { LevelName } from '../levels.ts';
import type { LogEntry } from '../record.ts';

/**
 * The listener's own records (`tributary.lost`, `tributary.dropped`, `tributary.sink_error`, …). The
 * listener is a producer like any other: its records carry its own id and sequence numbers, so a
 * reader can check them like everyone else's.
 */
export class NoticeWriter {
  private readonly encoder: RecordEncoder;
  private readonly quotedLogger: string;
  private seq = 0;

  constructor(producer: string, pid: number, limits: EncodeLimits | undefined) {
    this.encoder = new RecordEncoder({ producer, pid }, limits);
    this.quotedLogger = this.encoder.quoteName('tributary');
  }

  /** Sequence number of the last notice made. */
  get lastSeq(): number {
    return this.seq;
  }

  make(level: LevelName, msg: string, fields: Readonly<Record<string, unknown>>): LogEntry {
    return entryFromLine(this.encoder.encode(level, msg, this.quotedLogger, ++this.seq, '', fields), level);
  }
}
