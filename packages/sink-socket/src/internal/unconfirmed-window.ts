import type { Frame } from './record-encoding.ts';

interface Mark {
  /** The connection's byte offset where the write ended. */
  readonly end: number;
  readonly frames: readonly Frame[];
}

/**
 * The writes of one connection within its last `windowBytes` bytes: plain TCP confirms nothing, so
 * these are the records that may not have reached the collector if the connection fails now. A
 * write leaves the window once `windowBytes` more bytes were written after it on the same connection.
 */
export class UnconfirmedWindow {
  private marks: Mark[] = [];
  private connectionBytes = 0;

  constructor(private readonly windowBytes: number) {}

  /** How many records the window holds. */
  get records(): number {
    let count = 0;
    for (const mark of this.marks) count += mark.frames.length;
    return count;
  }

  /** A write of `frames` (`bytes` in all) completed; returns the frames that left the window with it, oldest first. */
  written(frames: readonly Frame[], bytes: number): Frame[] {
    this.connectionBytes += bytes;
    this.marks.push({ end: this.connectionBytes, frames });
    const left: Frame[] = [];
    while (this.marks.length > 0 && (this.marks[0] as Mark).end <= this.connectionBytes - this.windowBytes) {
      for (const frame of (this.marks.shift() as Mark).frames) left.push(frame);
    }
    return left;
  }

  /** Empties the window (a new connection, or one given up): returns its frames, oldest first. */
  reset(): Frame[] {
    const frames = this.marks.flatMap((mark) => mark.frames);
    this.marks = [];
    this.connectionBytes = 0;
    return frames;
  }
}
