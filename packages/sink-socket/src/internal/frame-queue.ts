import { SizedQueue } from '@tributary/core/sink';
import type { Frame } from './record-encoding.ts';

/** A FIFO of frames that counts records (one frame each) and bytes. */
export class FrameQueue extends SizedQueue<Frame> {
  /** How many records (frames) it holds. */
  get records(): number {
    return this.length;
  }

  /** Takes frames from the front until about `maxBytes` (at least one frame). */
  take(maxBytes: number): Frame[] {
    let size = 0;
    return this.takeWhile((frame, taken) => {
      if (taken > 0 && size + frame.bytes > maxBytes) return false;
      size += frame.bytes;
      return true;
    });
  }
}
