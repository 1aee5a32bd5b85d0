import { SizedQueue } from '@tributary/core/sink';
import type { Spoolable } from '@tributary/core/sink';
import type { EncodedRecord, LogsEncoder } from '../encoding/encoder.ts';

/** A record the sink holds; with a spool, also its canonical line and the spool file it came from, if any. */
export interface HeldRecord extends EncodedRecord, Spoolable {}

/** The records a sink holds before they are sent: a FIFO that counts records and bytes. */
export class RecordBuffer extends SizedQueue<HeldRecord> {
  /** How many records it holds. */
  get records(): number {
    return this.length;
  }

  /**
   * Takes the records of the next request from the front: at most `maxRecords`, and no more than
   * make a request body of `maxBytes` (at least one record, however large).
   */
  takeRequest(maxRecords: number, maxBytes: number, encoder: LogsEncoder): HeldRecord[] {
    let size = encoder.emptyRequestBytes;
    let scope: string | undefined;
    return this.takeWhile((record, taken) => {
      if (taken >= maxRecords) return false;
      const added = encoder.addedBytes(scope, record);
      if (taken > 0 && size + added > maxBytes) return false;
      size += added;
      scope = record.scope;
      return true;
    });
  }
}
