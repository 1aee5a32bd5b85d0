import { jsonLinesFormatter } from '@tributary/core';
import { utf8Length } from '@tributary/core/sink';
import type { Formatter, LogEntry } from '@tributary/core';
import type { Batch } from '@tributary/core/sink';

/** The unwritten end of a record that a failed write cut short; the next chunk starts with it. */
export interface Carry {
  readonly bytes: Uint8Array;
}

/** One batch as bytes, and how far it got. */
export interface Chunk {
  readonly bytes: Uint8Array;
  /** Bytes the destination took so far. */
  offset: number;
  /** Records in the chunk: the carried one (if any) and the batch's. */
  readonly records: number;
  /** Leading bytes that finish a carried record; 0 when nothing was carried. */
  readonly carried: number;
  /** The batch, whose canonical lines are the bytes after `carried` (JSON format)… */
  readonly batch: Batch;
  /** …or, with another formatter, the formatted lines those bytes encode. */
  readonly lines: readonly string[] | undefined;
}

/** How far a chunk got, in records. */
export interface ChunkProgress {
  /** Records all of whose bytes went out. */
  readonly complete: number;
  /** The end offset of the record cut short in the middle, if one was. */
  readonly partialEnd: number | undefined;
}

/**
 * Turns batches into newline-terminated UTF-8 chunks. The JSON format takes the canonical lines as
 * bytes (`Batch.bytes()`: records from a worker's ring are the bytes the worker encoded, neither
 * decoded nor re-encoded); another formatter's lines are encoded once per batch.
 */
export class ChunkEncoder {
  /** Records whose formatter threw or returned no string; written as their canonical line instead. */
  formatErrors = 0;
  private readonly encoder = new TextEncoder();
  private readonly formatter: Formatter | undefined;

  constructor(formatter: Formatter) {
    this.formatter = formatter === jsonLinesFormatter ? undefined : formatter;
  }

  encode(batch: Batch, carry: Carry | undefined): Chunk {
    let lines: string[] | undefined;
    let body: Uint8Array;
    if (this.formatter === undefined) body = batch.bytes();
    else {
      const formatter = this.formatter;
      lines = batch.entries.map((entry) => this.format(formatter, entry));
      body = lines.length === 0 ? new Uint8Array(0) : this.encoder.encode(`${lines.join('\n')}\n`);
    }
    const records = batch.length + (carry === undefined ? 0 : 1);
    if (carry === undefined) return { bytes: body, offset: 0, records, carried: 0, batch, lines };
    const bytes = new Uint8Array(carry.bytes.length + body.length);
    bytes.set(carry.bytes, 0);
    bytes.set(body, carry.bytes.length);
    return { bytes, offset: 0, records, carried: carry.bytes.length, batch, lines };
  }

  /** Which records of a chunk are all out, and where the one cut short ends. Used only after a failure. */
  progress(chunk: Chunk): ChunkProgress {
    const first = chunk.carried > 0 ? 1 : 0;
    let end = chunk.carried;
    if (end > chunk.offset) return { complete: 0, partialEnd: chunk.offset > 0 ? end : undefined };
    for (let index = 0; index < chunk.batch.length; index++) {
      const start = end;
      const line = chunk.lines?.[index];
      end += line === undefined ? chunk.batch.slice(index, index + 1).byteLength : utf8Length(line) + 1;
      if (end > chunk.offset) return { complete: first + index, partialEnd: chunk.offset > start ? end : undefined };
    }
    return { complete: chunk.records, partialEnd: undefined };
  }

  private format(formatter: Formatter, entry: LogEntry): string {
    try {
      const text: unknown = formatter(entry);
      if (typeof text === 'string') return text;
    } catch {
      // fall through: nothing already logged is lost because of a bad formatter
    }
    this.formatErrors += 1;
    return entry.line;
  }
}
