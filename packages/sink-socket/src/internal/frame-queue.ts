import type { Frame } from './record-encoding.ts';

/** A FIFO of frames that counts records and bytes. */
export class FrameQueue {
  private items: Frame[] = [];
  private head = 0;
  private byteCount = 0;

  get records(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.byteCount;
  }

  push(frame: Frame): void {
    this.items.push(frame);
    this.byteCount += frame.bytes;
  }

  /** Puts frames back in front, in their order. */
  unshift(frames: readonly Frame[]): void {
    if (frames.length === 0) return;
    this.items = [...frames, ...this.items.slice(this.head)];
    this.head = 0;
    for (const frame of frames) this.byteCount += frame.bytes;
  }

  /** Takes frames from the front until about `maxBytes` (at least one frame). */
  take(maxBytes: number): Frame[] {
    const taken: Frame[] = [];
    let size = 0;
    while (this.head < this.items.length) {
      const frame = this.items[this.head] as Frame;
      if (taken.length > 0 && size + frame.bytes > maxBytes) break;
      taken.push(frame);
      size += frame.bytes;
      this.head += 1;
    }
    this.byteCount -= size;
    this.compact();
    return taken;
  }

  /** Removes frames from the back until the queue holds at most `maxRecords` and `maxBytes`; returns how many. */
  trimTo(maxRecords: number, maxBytes: number): number {
    let removed = 0;
    while (this.records > 0 && (this.records > maxRecords || this.byteCount > maxBytes)) {
      const frame = this.items.pop() as Frame;
      this.byteCount -= frame.bytes;
      removed += 1;
    }
    this.compact();
    return removed;
  }

  /** Empties the queue; returns how many records it held. */
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
