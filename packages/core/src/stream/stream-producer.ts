import type { ProducerEndpoint } from '../channel/types.ts';
import { FrameDecoder, encodeFrame } from '../protocol/frame-codec.ts';
import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';
import type { DeliveryMode } from './delivery.ts';
import { StreamWriter } from './stream-writer.ts';
import type { StreamWriteSync } from './stream-writer.ts';

/**
 * The byte-stream primitives a producer's end of a stream channel runs on, injected by the adapter
 * (a pipe to the parent process, a socket to a collector). The records and the answers may be one
 * two-way stream or two one-way ones.
 */
export interface StreamProducerIo {
  /**
   * Writes part of `bytes` synchronously and returns how many bytes the stream took: 0 when it is
   * full (a non-blocking stream), never waiting longer than the stream itself makes it. Throws once
   * the reader is gone.
   */
  readonly writeSync: StreamWriteSync;
  /**
   * Starts reading the listener's answers: `receive` for each chunk, `end` once when they end or
   * fail. The reading must not keep the process alive, except while {@link keepAlive} is on.
   */
  readAnswers(receive: (chunk: Uint8Array) => void, end: () => void): void;
  /** On while a flush waits for the listener's answer: the answers then keep the process alive. */
  keepAlive(on: boolean): void;
  /** Releases the stream, both directions. Idempotent; never throws. */
  close(): void;
}

/** Settings of a producer's end of a stream channel. */
export interface StreamProducerSettings {
  readonly delivery: DeliveryMode;
  /**
   * Longest wait of one log call for room in the stream, in milliseconds: in synchronous mode for
   * its record, in batched mode for the batches waiting once they reach `backPressureBytes`.
   */
  readonly waitTimeout: number;
  /** Batched mode: bytes waiting for the stream at which a log call writes them synchronously. */
  readonly backPressureBytes: number;
  /**
   * When closing (at exit): longest wait for the stream to take something, in milliseconds. While
   * the listener keeps reading, the close goes on, up to {@link CLOSE_TIMEOUT_FACTOR} times this in all.
   */
  readonly closeTimeout: number;
  /** Receives the records of frames that could not be written once the stream broke. */
  readonly onUndelivered: (lines: readonly string[]) => void;
}

/**
 * How many times its `closeTimeout` a close may take in all while the listener keeps reading (a busy
 * listener draining megabytes of queued records at exit is slow, not gone).
 */
const CLOSE_TIMEOUT_FACTOR = 6;

/**
 * A producer's end of a stream channel: frames go out through a {@link StreamWriter} (synchronous
 * writes), the listener's frames come in through `readAnswers`. In synchronous mode `send` returns
 * only once the frame is whole in the stream (the kernel's buffer), so the queue handler hands over
 * every record at once (`durable`). A batch counts as acknowledged (its memory is free) once it is
 * whole in the stream: the listener's own acks arrive only when the event loop turns, which a loop
 * that never yields does not let happen, and some runtimes cannot read an inherited descriptor at
 * all (there `flush()` can only time out).
 */
export class StreamProducerEndpoint implements ProducerEndpoint {
  readonly durable: boolean;
  /** Pairs of (end of the batch in the byte stream, its last sequence number), oldest first. */
  private readonly unconfirmed: number[] = [];
  private sentBytes = 0;
  /** `totalWrittenBytes` when a back-pressure wait last timed out; -1 when the stream moved since. */
  private stalledAtBytes = -1;
  private readonly writer: StreamWriter;
  private readonly decoder = new FrameDecoder();
  private receiver: ((frame: ListenerFrame) => void) | undefined;
  private closeCallback: (() => void) | undefined;
  private openFlushes = 0;
  private ended = false;

  constructor(
    private readonly io: StreamProducerIo,
    private readonly settings: StreamProducerSettings,
  ) {
    this.durable = settings.delivery === 'sync';
    this.writer = new StreamWriter(
      io.writeSync,
      () => this.end(),
      (total) => this.confirmWritten(total),
    );
    io.readAnswers(
      (chunk) => this.receive(chunk),
      () => this.end(),
    );
  }

  send(frame: ProducerFrame): void {
    if (this.ended) throw new Error('the stream channel to the listener is closed');
    const bytes = encodeFrame(frame);
    this.sentBytes += bytes.length;
    if (frame.type === 'batch') this.unconfirmed.push(this.sentBytes, frame.firstSeq + frame.lines.length - 1);
    this.writer.write(bytes);
    // A stream that broke during this write has already handed its unsent records to the fallback.
    if (this.ended) return;
    if (this.durable && !this.writer.drainSync(this.settings.waitTimeout)) {
      if (this.ended) return;
      this.end(false);
      throw new Error('the listener did not take the record in time');
    }
    if (!this.durable && this.writer.pendingBytes >= this.settings.backPressureBytes) this.waitForRoom();
    if (frame.type === 'flush' && this.openFlushes++ === 0) this.io.keepAlive(true);
  }

  onFrame(receiver: (frame: ListenerFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: () => void): void {
    this.closeCallback = callback;
  }

  /** Writes what waits (bounded by `closeTimeout`) and closes the stream. */
  close(): void {
    if (this.ended) return;
    this.drainForClose();
    this.end();
  }

  /** Writes what waits, bounded by `closeTimeout`, without closing (on a signal). */
  drainSync(): void {
    if (!this.ended) this.drainForClose();
  }

  /** Writes what waits while the reader keeps taking it: `closeTimeout` without progress, or the total bound. */
  private drainForClose(): void {
    this.writer.drainSync(this.settings.closeTimeout, this.settings.closeTimeout * CLOSE_TIMEOUT_FACTOR);
  }

  /**
   * Back-pressure: writes what waits synchronously, waiting for room up to `waitTimeout`. After a
   * timeout it does not wait again until the stream took something, so a listener that stopped
   * reading costs one wait; the queue handler then drops (and counts) what does not fit in its queue.
   */
  private waitForRoom(): void {
    if (this.stalledAtBytes === this.writer.totalWrittenBytes) return;
    this.stalledAtBytes = -1;
    if (!this.writer.drainSync(this.settings.waitTimeout) && !this.ended) this.stalledAtBytes = this.writer.totalWrittenBytes;
  }

  /** Acknowledges, at once, every batch now whole in the stream. */
  private confirmWritten(totalWrittenBytes: number): void {
    let index = 0;
    while (index < this.unconfirmed.length && (this.unconfirmed[index] as number) <= totalWrittenBytes) index += 2;
    if (index === 0) return;
    const seq = this.unconfirmed[index - 1] as number;
    this.unconfirmed.splice(0, index);
    this.receiver?.({ type: 'ack', seq });
  }

  private receive(chunk: Uint8Array): void {
    for (const frame of this.decoder.push(chunk) as ListenerFrame[]) {
      if (frame.type === 'flushed' && this.openFlushes > 0 && --this.openFlushes === 0) this.io.keepAlive(false);
      this.receiver?.(frame);
    }
  }

  /**
   * Ends the channel; records of frames that never went out whole go to the fallback, unless the
   * caller hands them over itself (`handOver` false).
   */
  private end(handOver = true): void {
    if (this.ended) return;
    this.ended = true;
    this.io.close();
    if (handOver) {
      const lines: string[] = [];
      const decoder = new FrameDecoder();
      for (const bytes of this.writer.unsentFrames()) {
        for (const frame of decoder.push(bytes)) if (frame.type === 'batch') lines.push(...frame.lines);
      }
      if (lines.length > 0) this.settings.onUndelivered(lines);
    }
    this.closeCallback?.();
  }
}
