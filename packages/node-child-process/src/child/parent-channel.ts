import { Socket } from 'node:net';
import { FrameDecoder, encodeFrame } from '@tributary/core/adapter';
import type { ListenerFrame, ProducerEndpoint, ProducerFrame } from '@tributary/core/adapter';
import type { DeliveryMode } from '../internal/environment.ts';
import { PipeWriter } from '../internal/pipe-writer.ts';

/** Settings of the child's end of the channel. */
export interface ParentChannelSettings {
  readonly fd: number;
  readonly delivery: DeliveryMode;
  /**
   * Longest wait of one log call for room in the pipe, in milliseconds: in synchronous mode for its
   * record, in batched mode for the batches waiting once they reach `backPressureBytes`.
   */
  readonly waitTimeout: number;
  /** Batched mode: bytes waiting for the pipe at which a log call writes them synchronously. */
  readonly backPressureBytes: number;
  /** Longest wait for room in the pipe when closing (at exit), in milliseconds. */
  readonly closeTimeout: number;
  /** Receives the records of frames that could not be written once the pipe broke. */
  readonly onUndelivered: (lines: readonly string[]) => void;
}

/**
 * The child's end of the channel: frames go out through a {@link PipeWriter} (synchronous writes on
 * the records pipe, `fd`), the listener's frames come in through a socket on the answers pipe
 * (`fd + 1`). In
 * synchronous mode `send` returns only once the frame is whole in the kernel's pipe buffer, so the
 * queue handler hands over every record at once (`durable`). The socket never keeps the child alive,
 * except while a flush waits for its answer.
 */
export class ParentChannel implements ProducerEndpoint {
  readonly durable: boolean;
  /**
   * A batch counts as acknowledged (its memory is free) once it is whole in the kernel's pipe: the
   * listener's own acks arrive only when the event loop turns, which a loop that never yields does
   * not let happen, and Bun's sockets do not read an inherited descriptor at all (there `flush()`
   * can only time out). Pairs of (end of the batch in the byte stream, its last sequence number).
   */
  private readonly unconfirmed: number[] = [];
  private sentBytes = 0;
  /** `totalWrittenBytes` when a back-pressure wait last timed out; -1 when the pipe moved since. */
  private stalledAtBytes = -1;
  private readonly writer: PipeWriter;
  private readonly socket: Socket;
  private readonly recordsSocket: Socket | undefined;
  private readonly decoder = new FrameDecoder();
  private receiver: ((frame: ListenerFrame) => void) | undefined;
  private closeCallback: (() => void) | undefined;
  private openFlushes = 0;
  private ended = false;

  constructor(private readonly settings: ParentChannelSettings) {
    this.durable = settings.delivery === 'sync';
    this.writer = new PipeWriter(settings.fd, () => this.pipeBroke(), undefined, (total) => this.confirmWritten(total));
    // Opening a socket on the records pipe makes it non-blocking, which the writer relies on; the
    // socket itself never reads or writes. Deno's sockets take the descriptor over (writes to it then
    // fail with EBADF), so under Deno the pipe stays blocking: a full pipe makes a write wait.
    this.recordsSocket = isDeno() ? undefined : new Socket({ fd: settings.fd, readable: false, writable: false });
    this.recordsSocket?.unref();
    this.recordsSocket?.on('error', () => {});
    this.socket = new Socket({ fd: settings.fd + 1, readable: true, writable: false, allowHalfOpen: true });
    this.socket.unref();
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', () => this.end());
    this.socket.on('end', () => this.end());
    this.socket.on('close', () => this.end());
  }

  send(frame: ProducerFrame): void {
    if (this.ended) throw new Error('the channel to the parent process is closed');
    const bytes = encodeFrame(frame);
    this.sentBytes += bytes.length;
    if (frame.type === 'batch') this.unconfirmed.push(this.sentBytes, frame.firstSeq + frame.lines.length - 1);
    this.writer.write(bytes);
    // A pipe that broke during this write has already handed its unsent records to the fallback.
    if (this.ended) return;
    if (this.durable && !this.writer.drainSync(this.settings.waitTimeout)) {
      if (this.ended) return;
      this.end(false);
      throw new Error('the parent process did not take the record in time');
    }
    if (!this.durable && this.writer.pendingBytes >= this.settings.backPressureBytes) this.waitForRoom();
    if (frame.type === 'flush' && this.openFlushes++ === 0) this.socket.ref();
  }

  /**
   * Back-pressure: writes what waits synchronously, waiting for room up to `waitTimeout`. After a
   * timeout it does not wait again until the pipe took something, so a parent that stopped reading
   * costs one wait; the queue handler then drops (and counts) what does not fit in its queue.
   */
  private waitForRoom(): void {
    if (this.stalledAtBytes === this.writer.totalWrittenBytes) return;
    this.stalledAtBytes = -1;
    if (!this.writer.drainSync(this.settings.waitTimeout) && !this.ended) this.stalledAtBytes = this.writer.totalWrittenBytes;
  }

  /** Acknowledges, at once, every batch now whole in the pipe. */
  private confirmWritten(totalWrittenBytes: number): void {
    let index = 0;
    while (index < this.unconfirmed.length && (this.unconfirmed[index] as number) <= totalWrittenBytes) index += 2;
    if (index === 0) return;
    const seq = this.unconfirmed[index - 1] as number;
    this.unconfirmed.splice(0, index);
    this.receiver?.({ type: 'ack', seq });
  }

  onFrame(receiver: (frame: ListenerFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: () => void): void {
    this.closeCallback = callback;
  }

  /** Writes what waits (bounded by `closeTimeout`) and closes the descriptor. */
  close(): void {
    if (this.ended) return;
    this.writer.drainSync(this.settings.closeTimeout);
    this.end();
  }

  /** Writes what waits, bounded by `closeTimeout`, without closing (on a signal). */
  drainSync(): void {
    if (!this.ended) this.writer.drainSync(this.settings.closeTimeout);
  }

  private receive(chunk: Buffer): void {
    for (const frame of this.decoder.push(chunk) as ListenerFrame[]) {
      if (frame.type === 'flushed' && this.openFlushes > 0 && --this.openFlushes === 0) this.socket.unref();
      this.receiver?.(frame);
    }
  }

  private pipeBroke(): void {
    this.end();
  }

  /**
   * Ends the channel; records of frames that never went out whole go to the fallback, unless the
   * caller hands them over itself (`handOver` false).
   */
  private end(handOver = true): void {
    if (this.ended) return;
    this.ended = true;
    this.socket.destroy();
    this.recordsSocket?.destroy();
    if (!handOver) {
      this.closeCallback?.();
      return;
    }
    const lines: string[] = [];
    const decoder = new FrameDecoder();
    for (const bytes of this.writer.unsentFrames()) {
      for (const frame of decoder.push(bytes)) if (frame.type === 'batch') lines.push(...frame.lines);
    }
    if (lines.length > 0) this.settings.onUndelivered(lines);
    this.closeCallback?.();
  }
}

function isDeno(): boolean {
  return typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
}
