/**
 * What a file writer holds until its next write: parts of text (from a custom formatter) or of
 * UTF-8 bytes (canonical JSON lines, often views of the very bytes a worker's ring delivered), in
 * order. `size` counts bytes for byte parts and characters for text parts (equal for ASCII).
 */
export class PendingParts {
  private parts: (string | Uint8Array)[] = [];
  private allText = true;
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
      this.allText = false;
      if (held && part.buffer.byteLength > 2 * part.length) part = part.slice();
    }
    this.parts.push(part);
    this.total += part.length;
  }

  /**
   * Removes and returns everything waiting as one piece for one write: the joined text when every
   * part is text, else one byte array (a single byte part as it is, without a copy); undefined when
   * nothing waits. `encode` turns text parts into UTF-8 when text and bytes are mixed.
   */
  take(encode: (text: string) => Uint8Array): string | Uint8Array | undefined {
    const parts = this.parts;
    const allText = this.allText;
    this.parts = [];
    this.allText = true;
    this.total = 0;
    if (parts.length <= 1) return parts[0];
    if (allText) return (parts as string[]).join('');
    const bytes = parts.map((part) => (typeof part === 'string' ? encode(part) : part));
    let length = 0;
    for (const part of bytes) length += part.length;
    const joined = new Uint8Array(length);
    let at = 0;
    for (const part of bytes) {
      joined.set(part, at);
      at += part.length;
    }
    return joined;
  }

  /** Drops everything waiting. */
  clear(): void {
    this.parts = [];
    this.allText = true;
    this.total = 0;
  }
}
