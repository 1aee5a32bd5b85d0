import { Buffer } from 'node:buffer';

/**
 * Splits a byte stream into messages, recognising each frame as it comes (RFC 6587 section 3.4):
 * one that starts with a digit is octet-counted (`LEN SP MSG`); anything else ends at LF (a CR
 * before it is dropped). Calls `onFrame(message, frameBytes)` per message.
 */
export class FrameSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onFrame: (message: string, frameBytes: number) => void) {}

  push(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    let offset = 0;
    for (;;) {
      const consumed = this.next(offset);
      if (consumed === 0) break;
      offset += consumed;
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.subarray(offset);
  }

  /** What is left when the stream ends (an incomplete frame), as a message, if anything. */
  end(): void {
    if (this.buffer.length > 0) this.onFrame(this.buffer.toString('utf8'), this.buffer.length);
    this.buffer = Buffer.alloc(0);
  }

  /** Handles one frame at `offset`; returns the bytes it used, or 0 when the frame is incomplete. */
  private next(offset: number): number {
    const buffer = this.buffer;
    if (offset >= buffer.length) return 0;
    const first = buffer[offset] as number;
    if (first >= 0x30 && first <= 0x39) {
      const space = buffer.indexOf(0x20, offset);
      if (space === -1) return 0;
      const length = Number(buffer.toString('latin1', offset, space));
      if (Number.isSafeInteger(length) && space - offset <= 10) {
        const end = space + 1 + length;
        if (end > buffer.length) return 0;
        this.onFrame(buffer.toString('utf8', space + 1, end), end - offset);
        return end - offset;
      }
    }
    const newline = buffer.indexOf(0x0a, offset);
    if (newline === -1) return 0;
    const end = newline > offset && buffer[newline - 1] === 0x0d ? newline - 1 : newline;
    this.onFrame(buffer.toString('utf8', offset, end), newline + 1 - offset);
    return newline + 1 - offset;
  }
}
