/** One batch frame kept until the collector confirms it was written. */
export interface UnconfirmedFrame {
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The frame as encoded, sent again as it is after a reconnect. */
  readonly bytes: Uint8Array;
}

/**
 * The batch frames a producer sent and the collector has not confirmed yet, oldest first, bounded
 * by `maxBytes`: a new frame that does not fit makes the oldest go (their records are then lost,
 * and the collector reports the exact count from the hole in the sequence). The newest frame is
 * always kept, even alone above the bound.
 */
export class UnconfirmedFrames {
  private frames: UnconfirmedFrame[] = [];
  private head = 0;
  private heldBytes = 0;
  /** Records dropped to stay within the bound, over the producer's life. */
  droppedRecords = 0;

  constructor(private readonly maxBytes: number) {}

  /** Bytes held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Frames held. */
  get length(): number {
    return this.frames.length - this.head;
  }

  /** Keeps a frame; drops the oldest ones while the bound is exceeded. */
  push(frame: UnconfirmedFrame): void {
    this.frames.push(frame);
    this.heldBytes += frame.bytes.length;
    while (this.heldBytes > this.maxBytes && this.length > 1) {
      const oldest = this.shift();
      this.droppedRecords += oldest.lastSeq - oldest.firstSeq + 1;
    }
  }

  /** The collector wrote everything up to `seq`: those frames go. */
  confirm(seq: number): void {
    while (this.length > 0 && (this.frames[this.head] as UnconfirmedFrame).lastSeq <= seq) this.shift();
  }

  /** The frames held, oldest first. */
  all(): readonly UnconfirmedFrame[] {
    return this.frames.slice(this.head);
  }

  /** Gives up every frame held; returns them. */
  takeAll(): UnconfirmedFrame[] {
    const all = this.frames.slice(this.head);
    this.frames = [];
    this.head = 0;
    this.heldBytes = 0;
    return all;
  }

  private shift(): UnconfirmedFrame {
    const frame = this.frames[this.head] as UnconfirmedFrame;
    this.head += 1;
    this.heldBytes -= frame.bytes.length;
    if (this.head > 1024 && this.head * 2 > this.frames.length) {
      this.frames = this.frames.slice(this.head);
      this.head = 0;
    }
    return frame;
  }
}
