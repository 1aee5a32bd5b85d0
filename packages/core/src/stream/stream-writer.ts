import { startTimer, stopTimer } from '../internal/host.ts';

/**
 * The one write primitive a {@link StreamWriter} needs: a synchronous, non-waiting write (a
 * non-blocking pipe's `write(2)`, a socket's synchronous write). A blocking stream may wait in it.
 */
export type StreamWriteSync = (bytes: Uint8Array, offset: number, length: number) => number;

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes frames to a byte stream with synchronous writes (`writeSync` returns how many bytes the
 * stream took: 0 when it is full; it throws once the reader is gone), so the writer always knows
 * exactly which bytes are out: what the stream does not take at once waits in order (one frame is
 * never begun before the previous one is whole) and is retried on a short timer, or written at once
 * by {@link drainSync}, which waits for room up to a deadline (used at exit and in synchronous mode).
 */
export class StreamWriter {
  /** Whole frames not yet fully out, oldest first; the first may be partly written. */
  private readonly queue: Uint8Array[] = [];
  /** Bytes of `queue[0]` already out. */
  private headOffset = 0;
  private queuedBytes = 0;
  private retryTimer: unknown;
  private failure: unknown;
  private writtenBytes = 0;

  constructor(
    private readonly writeSync: StreamWriteSync,
    private readonly onBroken: (error: unknown) => void,
    /** Called after the stream took bytes, with the total it has taken so far. */
    private readonly onWritten: (totalWrittenBytes: number) => void = () => {},
  ) {}

  /** Bytes the stream has taken since the writer was made. */
  get totalWrittenBytes(): number {
    return this.writtenBytes;
  }

  /** True once a write failed for a reason other than a full stream (the reader is gone). */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** Bytes waiting for room in the stream. */
  get pendingBytes(): number {
    return this.queuedBytes - this.headOffset;
  }

  /** Frames that never went out whole (for the fallback once the stream is broken). */
  unsentFrames(): Uint8Array[] {
    return [...this.queue];
  }

  /** Puts a frame into the stream as far as it has room now; the rest waits. Throws once broken. */
  write(frame: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (this.queue.length === 1) this.pump();
    if (this.queue.length > 0 && this.failure === undefined) this.scheduleRetry();
  }

  /**
   * Writes everything waiting, waiting for room. Gives up once the stream took nothing for
   * `stallTimeoutMs` in a row, or, when `totalTimeoutMs` is given, once that much time passed in all
   * (a reader that still moves gets the time it needs, up to that bound). Returns true when all of it
   * is out; false on timeout or when the stream broke.
   */
  drainSync(stallTimeoutMs: number, totalTimeoutMs = stallTimeoutMs): boolean {
    const start = Date.now();
    const finalDeadline = start + Math.max(stallTimeoutMs, totalTimeoutMs);
    let stallDeadline = start + stallTimeoutMs;
    for (;;) {
      const before = this.writtenBytes;
      this.pump();
      if (this.failure !== undefined) return false;
      if (this.queue.length === 0) return true;
      const now = Date.now();
      if (this.writtenBytes !== before) stallDeadline = now + stallTimeoutMs;
      if (now >= Math.min(stallDeadline, finalDeadline)) return false;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }

  /** Writes queued frames until the stream is full, empty or broken. */
  private pump(): void {
    const before = this.writtenBytes;
    this.pumpFrames();
    if (this.writtenBytes !== before) this.onWritten(this.writtenBytes);
  }

  private pumpFrames(): void {
    while (this.queue.length > 0 && this.failure === undefined) {
      const head = this.queue[0] as Uint8Array;
      let written: number;
      try {
        written = this.writeSync(head, this.headOffset, head.length - this.headOffset);
      } catch (error) {
        this.failure = error ?? new Error('stream write failed');
        this.stopRetry();
        this.onBroken(this.failure);
        return;
      }
      if (written <= 0) return;
      this.headOffset += written;
      this.writtenBytes += written;
      if (this.headOffset < head.length) return;
      this.queue.shift();
      this.queuedBytes -= head.length;
      this.headOffset = 0;
    }
    if (this.queue.length === 0) this.stopRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== undefined) return;
    this.retryTimer = startTimer(() => {
      this.retryTimer = undefined;
      this.pump();
      if (this.queue.length > 0 && this.failure === undefined) this.scheduleRetry();
    }, 1);
  }

  private stopRetry(): void {
    if (this.retryTimer === undefined) return;
    stopTimer(this.retryTimer);
    this.retryTimer = undefined;
  }
}
