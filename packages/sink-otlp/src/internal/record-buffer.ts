import type { EncodedRecord, LogsEncoder } from '../encoding/encoder.ts';

/** A record the sink holds; with a spool, also its canonical line and the spool file it came from, if any. */
export interface HeldRecord extends EncodedRecord {
  /** The record's canonical line (kept when the sink has a spool). */
  readonly line?: string;
  /** The spool file the record was read from. */
  readonly segment?: number;
}

/** The records a sink holds before they are sent: a FIFO that counts records and bytes. */
export class RecordBuffer {
  private items: HeldRecord[] = [];
  private head = 0;
  private byteCount = 0;

  get records(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  push(record: HeldRecord): void {
    this.items.push(record);
    this.byteCount += record.bytes;
  }

  /**
   * Takes the records of the next request from the front: at most `maxRecords`, and no more than
   * make a request body of `maxBytes` (at least one record, however large).
   */
  takeRequest(maxRecords: number, maxBytes: number, encoder: LogsEncoder): HeldRecord[] {
    const taken: HeldRecord[] = [];
    let size = encoder.emptyRequestBytes;
    let scope: string | undefined;
    while (this.head < this.items.length && taken.length < maxRecords) {
      const record = this.items[this.head] as HeldRecord;
      const added = encoder.addedBytes(scope, record);
      if (taken.length > 0 && size + added > maxBytes) break;
      taken.push(record);
      size += added;
      scope = record.scope;
      this.byteCount -= record.bytes;
      this.head += 1;
    }
    this.compact();
    return taken;
  }

  /** Empties the buffer; returns the records it held, oldest first. */
  takeAll(): HeldRecord[] {
    const records = this.items.slice(this.head);
    this.clear();
    return records;
  }

  /** Empties the buffer; returns how many records it held. */
  clear(): number {
    const count = this.records;
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
    return count;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
