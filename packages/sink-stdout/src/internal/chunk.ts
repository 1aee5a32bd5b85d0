import type { Formatter, LogEntry } from '@tributary/core';

/** The unwritten end of a record that a failed write cut short; the next chunk starts with it. */
export interface Carry {
  readonly bytes: Uint8Array;
  readonly line: string;
}

/** One batch as bytes, and how far it got. */
export interface Chunk {
  readonly bytes: Uint8Array;
  /** Bytes the destination took so far. */
  offset: number;
  /** The formatted records, one per line (the carried record first, if any). */
  readonly lines: readonly string[];
  /** Leading bytes that finish a carried record (`lines[0]`); 0 when nothing was carried. */
  readonly carried: number;
}

/** How far a chunk got, in records. */
export interface ChunkProgress {
  /** Records all of whose bytes went out. */
  readonly complete: number;
  /** The end offset of the record cut short in the middle, if one was. */
  readonly partialEnd: number | undefined;
}

/** Formats batches into newline-terminated UTF-8 chunks. */
export class ChunkEncoder {
  /** Records whose formatter threw or returned no string; written as their canonical line instead. */
  formatErrors = 0;
  private readonly encoder = new TextEncoder();

  constructor(private readonly formatter: Formatter) {}

  encode(batch: readonly LogEntry[], carry: Carry | undefined): Chunk {
    const lines: string[] = carry === undefined ? [] : [carry.line];
    for (const entry of batch) lines.push(this.format(entry));
    const fresh = carry === undefined ? lines : lines.slice(1);
    const body = fresh.length === 0 ? new Uint8Array(0) : this.encoder.encode(`${fresh.join('\n')}\n`);
    if (carry === undefined) return { bytes: body, offset: 0, lines, carried: 0 };
    const bytes = new Uint8Array(carry.bytes.length + body.length);
    bytes.set(carry.bytes, 0);
    bytes.set(body, carry.bytes.length);
    return { bytes, offset: 0, lines, carried: carry.bytes.length };
  }

  /** Which records of a chunk are all out, and where the one cut short ends. Used only after a failure. */
  progress(chunk: Chunk): ChunkProgress {
    let end = 0;
    for (let index = 0; index < chunk.lines.length; index++) {
      const start = end;
      end += index === 0 && chunk.carried > 0 ? chunk.carried : this.encoder.encode(`${chunk.lines[index] as string}\n`).length;
      if (end > chunk.offset) return { complete: index, partialEnd: chunk.offset > start ? end : undefined };
    }
    return { complete: chunk.lines.length, partialEnd: undefined };
  }

  private format(entry: LogEntry): string {
    try {
      const text: unknown = this.formatter(entry);
      if (typeof text === 'string') return text;
    } catch {
      // fall through: nothing already logged is lost because of a bad formatter
    }
    this.formatErrors += 1;
    return entry.line;
  }
}
