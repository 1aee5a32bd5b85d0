import { writeSync } from 'node:fs';

/** The one function a {@link PipeWriter} needs from the file system (injectable for tests). */
export interface PipeWriteDriver {
  /** Writes bytes to a file descriptor and returns how many were taken; throws `EAGAIN` when the pipe is full. */
  writeSync(fd: number, bytes: Uint8Array, offset: number, length: number): number;
}

const nodeDriver: PipeWriteDriver = { writeSync: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length) };
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes frames to a non-blocking pipe with synchronous system calls, so that the writer always knows
 * exactly which bytes the kernel has: what the pipe does not take at once waits in order (one frame is
 * never begun before the previous one is whole) and is retried on a short timer, or written at once
 * by {@link drainSync}, which waits for room up to a deadline (used at exit and in synchronous mode).
 */
export class PipeWriter {
  /** Whole frames not yet fully in the pipe, oldest first; the first may be partly written. */
  private readonly queue: Uint8Array[] = [];
  /** Bytes of `queue[0]` already in the pipe. */
  private headOffset = 0;
  private queuedBytes = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failure: unknown;
  private writtenBytes = 0;

  constructor(
    private readonly fd: number,
    private readonly onBroken: (error: unknown) => void,
    private readonly driver: PipeWriteDriver = nodeDriver,
    /** Called after the pipe took bytes, with the total it has taken so far. */
    private readonly onWritten: (totalWrittenBytes: number) => void = () => {},
  ) {}

  /** Bytes the pipe has taken since the writer was made. */
  get totalWrittenBytes(): number {
    return this.writtenBytes;
  }

  /** True once a write failed for a reason other than a full pipe (the reader is gone). */
  get broken(): boolean {
    return this.failure !== undefined;
  }

  /** Bytes waiting for room in the pipe. */
  get pendingBytes(): number {
    return this.queuedBytes - this.headOffset;
  }

  /** Frames that never went out whole (for the fallback once the pipe is broken). */
  unsentFrames(): Uint8Array[] {
    return [...this.queue];
  }

  /** Puts a frame into the pipe as far as it has room now; the rest waits. Throws once broken. */
  write(frame: Uint8Array): void {
    if (this.failure !== undefined) throw this.failure;
    this.queue.push(frame);
    this.queuedBytes += frame.length;
    if (this.queue.length === 1) this.pump();
    if (this.queue.length > 0 && this.failure === undefined) this.scheduleRetry();
  }

  /**
   * Writes everything waiting, waiting for room, for at most `timeoutMs`. Returns true when all of it
   * is in the pipe; false on timeout or when the pipe broke.
   */
  drainSync(timeoutMs: number): boolean {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.pump();
      if (this.failure !== undefined) return false;
      if (this.queue.length === 0) return true;
      if (Date.now() >= deadline) return false;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }

  /** Writes queued frames until the pipe is full, empty or broken. */
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
        written = this.driver.writeSync(this.fd, head, this.headOffset, head.length - this.headOffset);
      } catch (error) {
        if (isFull(error)) return;
        this.failure = error ?? new Error('pipe write failed');
        this.stopRetry();
        this.onBroken(this.failure);
        return;
      }
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
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.pump();
      if (this.queue.length > 0 && this.failure === undefined) this.scheduleRetry();
    }, 1);
    this.retryTimer.unref?.();
  }

  private stopRetry(): void {
    if (this.retryTimer === undefined) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}

function isFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}
