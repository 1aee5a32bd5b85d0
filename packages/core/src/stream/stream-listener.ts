import type { ProducerExit } from '../adapter/connected-producer.ts';
import type { ChannelCloseInfo, ListenerEndpoint } from '../channel/types.ts';
import { startTimer, stopTimer } from '../internal/host.ts';
import { FrameDecoder, encodeFrame } from '../protocol/frame-codec.ts';
import type { FrameDamage } from '../protocol/frame-codec.ts';
import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';

/**
 * The byte-stream primitives the listener's end of a stream channel runs on, injected by the
 * adapter (a child's pipes, an accepted socket). Records and answers may be one two-way stream or
 * two one-way ones; a failed answer to a dead producer must never disturb reading its last records.
 */
export interface StreamListenerIo {
  /** Starts reading the producer's records: `receive` for each chunk, `end` when they end or fail (may repeat). */
  readRecords(receive: (chunk: Uint8Array) => void, end: () => void): void;
  /** Sends an answer, best effort: drops it when the producer is gone. Never throws. */
  writeAnswer(bytes: Uint8Array): void;
  /**
   * Optional: hands `receive`, synchronously, what the producer already wrote and the stream has
   * not delivered yet (the listener calls it before it flushes or stops).
   */
  readAvailable?(receive: (chunk: Uint8Array) => void): void;
  /** Releases the stream, both directions. Idempotent; never throws. */
  close(): void;
}

/** How the producer behind a stream ended, as its adapter knows it (e.g. a child's exit status). */
export interface StreamProducerStatus {
  /** In words, for the close reason: `exit code 0`, `killed by SIGKILL`. */
  readonly description: string;
  /** The exit, for the listener's `tributary.producer_exited` record. */
  readonly exit?: Omit<ProducerExit, 'lastSeq'>;
}

/** Where a stream's producer's end status comes from, when it has one (a process; not a socket peer). */
export interface StreamProducerWatch {
  /** The status once known, else undefined. */
  status(): StreamProducerStatus | undefined;
  /** Calls `callback` once the status becomes known. */
  onStatus(callback: () => void): void;
  /** What the close reason says when the stream ended and the status is still unknown. */
  readonly unknown: string;
  /** After the stream ends, how long to wait for the status before closing anyway, in milliseconds. */
  readonly wait: number;
}

/** How a {@link StreamListenerEndpoint} decodes its stream. */
export interface StreamListenerOptions {
  /** Frames announcing a larger payload are damage. Default: the decoder's (256 MiB). */
  readonly maxFrameBytes?: number;
  /**
   * Called at once for damage in the middle of the stream (corrupt or oversized frames); with it the
   * decoder stops at the first damage (`stopAtDamage`), so the adapter can end that stream. Default:
   * none (damage is skipped, counted and named in the close reason).
   */
  readonly onDamage?: (damage: FrameDamage) => void;
}

/**
 * The listener's end of a stream channel. Decodes frames as chunks arrive; when the records end it
 * waits (bounded) for the producer's status, if it has one, and reports how the channel ended,
 * including a frame the producer died in the middle of writing: that frame is discarded, never
 * parsed, and its records are announced as `lastSeqKnown` so the listener reports exactly those as
 * lost. Acknowledgements for the frames of one chunk are sent as one.
 */
export class StreamListenerEndpoint implements ListenerEndpoint {
  private readonly decoder: FrameDecoder;
  private receiver: ((frame: ProducerFrame) => void) | undefined;
  private closeCallback: ((info: ChannelCloseInfo) => void) | undefined;
  private pendingAck: number | undefined;
  private inChunk = false;
  private corruptBytes = 0;
  private recordsDone = false;
  private finished = false;
  private statusTimer: unknown;
  private highestSeq = 0;
  private helloProducer: string | undefined;
  private resolveEnded: (info: ChannelCloseInfo) => void = () => {};
  /** Settles once the records ended and the producer's status is known (or its wait passed). */
  readonly ended: Promise<ChannelCloseInfo> = new Promise<ChannelCloseInfo>((resolve) => {
    this.resolveEnded = resolve;
  });

  constructor(
    private readonly io: StreamListenerIo,
    private readonly watch?: StreamProducerWatch,
    options: StreamListenerOptions = {},
  ) {
    const onDamage = options.onDamage;
    this.decoder = new FrameDecoder({
      ...(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes }),
      stopAtDamage: onDamage !== undefined,
      onDamage: (damage) => {
        this.corruptBytes += damage.bytes;
        onDamage?.(damage);
      },
    });
    io.readRecords(
      (chunk) => this.receive(chunk),
      () => this.recordsEnded(),
    );
    watch?.onStatus(() => {
      if (this.recordsDone) this.finish();
    });
  }

  /** The highest sequence number delivered to the listener so far; 0 before any record. */
  get lastSeq(): number {
    return this.highestSeq;
  }

  /** The producer id the producer announced in its hello, once it did. */
  get announced(): string | undefined {
    return this.helloProducer;
  }

  send(frame: ListenerFrame): void {
    if (this.finished) return;
    if (frame.type === 'ack' && this.inChunk) {
      this.pendingAck = frame.seq;
      return;
    }
    this.io.writeAnswer(encodeFrame(frame));
  }

  onFrame(receiver: (frame: ProducerFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: (info: ChannelCloseInfo) => void): void {
    this.closeCallback = callback;
  }

  /** Delivers at once what the producer already wrote, where the stream can say (see `readAvailable`). */
  drain(): void {
    if (!this.recordsDone) this.io.readAvailable?.((chunk) => this.receive(chunk));
  }

  close(): void {
    if (this.finished) return;
    this.io.close();
    this.recordsEnded();
  }

  private receive(chunk: Uint8Array): void {
    this.inChunk = true;
    try {
      for (const frame of this.decoder.push(chunk) as ProducerFrame[]) {
        if (frame.type === 'batch') this.highestSeq = Math.max(this.highestSeq, frame.firstSeq + frame.lines.length - 1);
        else if (frame.type === 'hello') this.helloProducer = frame.producer;
        this.receiver?.(frame);
      }
    } finally {
      this.inChunk = false;
      if (this.pendingAck !== undefined) {
        const seq = this.pendingAck;
        this.pendingAck = undefined;
        if (!this.finished) this.io.writeAnswer(encodeFrame({ type: 'ack', seq }));
      }
    }
  }

  private recordsEnded(): void {
    if (this.recordsDone) return;
    this.recordsDone = true;
    if (this.watch === undefined || this.watch.status() !== undefined) return this.finish();
    this.statusTimer = startTimer(() => this.finish(), this.watch.wait);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    stopTimer(this.statusTimer);
    this.io.close();
    const info = closeInfo(this.watch, this.decoder.end(), this.corruptBytes);
    this.closeCallback?.(info);
    this.resolveEnded(info);
  }
}

function closeInfo(watch: StreamProducerWatch | undefined, tail: FrameDamage | undefined, corruptBytes: number): ChannelCloseInfo {
  const status = watch?.status();
  const notes: string[] = [status?.description ?? watch?.unknown ?? 'stream ended'];
  if (tail !== undefined) notes.push(`discarded ${tail.kind === 'partial' ? 'a frame cut short' : 'corrupt bytes'} (${tail.bytes} bytes) at the end`);
  if (corruptBytes > 0) notes.push(`skipped ${corruptBytes} corrupt bytes`);
  const reason = notes.join('; ');
  const withExit = status?.exit === undefined ? { reason } : { reason, exit: status.exit };
  if (tail?.firstSeq !== undefined && tail.count !== undefined && tail.count > 0) {
    return { ...withExit, lastSeqKnown: tail.firstSeq + tail.count - 1 };
  }
  return withExit;
}
