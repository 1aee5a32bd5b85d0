import { concatBytes } from '@tributary/core/sink';

/** A byte part at least this long is written by itself rather than copied together with others. */
export const SEPARATE_WRITE_BYTES = 16 * 1024;

/** One part waiting: text (from a custom formatter) or UTF-8 bytes, its UTF-8 size and its records. */
interface Part {
  readonly data: string | Uint8Array;
  readonly bytes: number;
  readonly records: number;
}

/** The next piece to write: joined parts, their UTF-8 size and the records they hold. */
export interface Piece {
  readonly data: string | Uint8Array;
  readonly bytes: number;
  readonly records: number;
}

function isLargeBytes(part: Part): boolean {
  return typeof part.data !== 'string' && part.bytes >= SEPARATE_WRITE_BYTES;
}

/**
 * What a file writer holds until its next write: parts of text (from a custom formatter) or of
 * UTF-8 bytes (canonical JSON lines, often views of the very bytes a worker's ring delivered), in
 * order, each with its size in UTF-8 bytes and its record count.
 */
export class PendingParts {
  private parts: Part[] = [];
  private totalBytes = 0;
  private totalRecords = 0;

  /** UTF-8 bytes waiting. */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Records waiting. */
  get records(): number {
    return this.totalRecords;
  }

  /**
   * Adds a part of `bytes` UTF-8 bytes holding `records` whole records (an empty one is ignored).
   * With `held` (the file is failing, so the part will wait), a byte part that is a small view of a
   * much larger array is copied, so that what waits keeps no more memory alive than `bytes` says.
   */
  push(data: string | Uint8Array, bytes: number, records: number, held = false): void {
    if (data.length === 0) return;
    if (typeof data !== 'string' && held && data.buffer.byteLength > 2 * data.length) data = data.slice();
    this.parts.push({ data, bytes, records });
    this.totalBytes += bytes;
    this.totalRecords += records;
  }

  /**
   * Removes and returns the next piece to write, undefined when nothing waits. Small parts are
   * joined into one piece (the joined text when they are all text, else one byte array, text parts
   * encoded by `encode`); a byte part of at least {@link SEPARATE_WRITE_BYTES} is a piece of its own,
   * written as it is: one more system call costs less than copying it.
   */
  take(encode: (text: string) => Uint8Array): Piece | undefined {
    const parts = this.parts;
    if (parts.length === 0) return undefined;
    let count = 0;
    while (count < parts.length && !isLargeBytes(parts[count] as Part)) count += 1;
    if (count === 0) count = 1; // a large byte part leads: it goes alone
    const taken = count === parts.length ? parts : parts.slice(0, count);
    this.parts = count === parts.length ? [] : parts.slice(count);
    let bytes = 0;
    let records = 0;
    for (const part of taken) {
      bytes += part.bytes;
      records += part.records;
    }
    this.totalBytes -= bytes;
    this.totalRecords -= records;
    if (taken.length === 1) return taken[0];
    if (taken.every((part) => typeof part.data === 'string')) return { data: taken.map((part) => part.data).join(''), bytes, records };
    return { data: concatBytes(taken.map((part) => (typeof part.data === 'string' ? encode(part.data) : part.data))), bytes, records };
  }

  /** Drops everything waiting. */
  clear(): void {
    this.parts = [];
    this.totalBytes = 0;
    this.totalRecords = 0;
  }
}
