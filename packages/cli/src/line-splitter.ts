/**
 * Turns a byte stream into lines: decodes UTF-8 across chunk boundaries and splits on `\n`, keeping
 * each line exactly as it was (a `\r` before the `\n` included) without the `\n`.
 */
export class LineSplitter {
  private readonly decoder = new TextDecoder('utf-8');
  private partial = '';

  /** The lines that `bytes` completes, in order. */
  push(bytes: Uint8Array): string[] {
    const text = this.partial + this.decoder.decode(bytes, { stream: true });
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    return lines;
  }

  /** The last line, when the stream ended without a newline after it (and resets the decoder). */
  finish(): string[] {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    return rest === '' ? [] : [rest];
  }
}
