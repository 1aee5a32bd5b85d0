import { concatBytes } from '@tributary/core/sink';

/** A byte part at least this long is written by itself rather than copied together with others. */
export const SEPARATE_WRITE_BYTES = 16 * 1024;

function isLargeBytes(part: string | Uint8Array): boolean {
  return typeof part !== 'string' && part.length >= SEPARATE_WRITE_BYTES;
}

/**
 * What a file writer holds until its next write: parts of text (from a custom formatter) or of
 * UTF-8 bytes (canonical JSON lines, often views of the very bytes a worker's ring delivered), in
 * order. `size` counts bytes for byte parts and characters for text parts (equal for ASCII).
 */
export class PendingParts {
  private parts: (string | Uint8Array)[] = [];
  private total = 0;

  /** Bytes and characters waiting. */
  get size(): number {
    return this.total;
  }

  /**
   * Adds a part (an empty one is ignored). With `held` (the file is failing, so the part will wait),
   * a byte part that is a small view of a much larger array is copied, so that what waits keeps no
   * more memory alive than `size` says.
   */
  push(part: string | Uint8Array, held = false): void {
    if (part.length === 0) return;
    if (typeof part !== 'string') {
      if (held && part.buffer.byteLength > 2 * part.length) part = part.slice();
    }
    this.parts.push(part);
    this.total += part.length;
  }

  /**
   * Removes and returns the next piece to write, undefined when nothing waits. Small parts are
   * joined into one piece (the joined text when they are all text, else one byte array, text parts
   * encoded by `encode`); a byte part of at least {@link SEPARATE_WRITE_BYTES} is a piece of its own,
   * written as it is: one more system call costs less than copying it.
   */
  take(encode: (text: string) => Uint8Array): string | Uint8Array | undefined {
    const parts = this.parts;
    if (parts.length === 0) return undefined;
    let count = 0;
    while (count < parts.length && !isLargeBytes(parts[count] as string | Uint8Array)) count += 1;
    if (count === 0) count = 1; // a large byte part leads: it goes alone
    const taken = count === parts.length ? parts : parts.slice(0, count);
    this.parts = count === parts.length ? [] : parts.slice(count);
    for (const part of taken) this.total -= part.length;
    if (taken.length === 1) return taken[0];
    if (taken.every((part) => typeof part === 'string')) return (taken as string[]).join('');
    return concatBytes(taken.map((part) => (typeof part === 'string' ? encode(part) : part)));
  }

  /** Drops everything waiting. */
  clear(): void {
    this.parts = [];
    this.total = 0;
  }
}
