import { FrameDecoder, StreamWriter, encodeFrame, startKeepAliveTimer, startTimer, stopKeepAliveTimer, stopTimer } from '@tributary/core/adapter';
import type { BatchFrame, HelloFrame, ListenerFrame, ProducerEndpoint, ProducerFrame, WireFrame } from '@tributary/core/adapter';
import type { ProducerSocket, SocketDriver, SocketTarget } from '../driver/types.ts';
import { reconnectDelayMs } from './backoff.ts';
import type { BackoffBounds } from './backoff.ts';
import { UnconfirmedFrames } from './unconfirmed-frames.ts';

/** Settings of a {@link ReconnectingEndpoint}. */
export interface ReconnectSettings {
  readonly target: SocketTarget;
  readonly driver: SocketDriver;
  readonly maxUnconfirmedBytes: number;
  readonly backoff: BackoffBounds;
  /** At close or exit: longest wait for the socket to take what is still to be written, in milliseconds. */
  readonly closeTimeoutMs: number;
  /** A message for the application (a refusal by the collector). */
  readonly report: (message: string) => void;
  /** Records that never reached a collector when the producer closed. */
  readonly onUndelivered: (lines: readonly string[]) => void;
}

/** What the endpoint has done so far. */
export interface ReconnectStats {
  /** True while connected to a collector. */
  readonly connected: boolean;
  /** Connections made so far. */
  readonly connects: number;
  /** Bytes of batch frames sent and not yet confirmed by the collector. */
  readonly unconfirmedBytes: number;
  /** Records given up, oldest first, to stay within `maxUnconfirmedBytes` (the collector reports them lost). */
  readonly droppedOldest: number;
  /** Times the collector refused this producer (each reported). */
  readonly refusals: number;
}

/**
 * A batch frame of more than this many bytes is split (a single record stays whole), so a collector
 * never needs a `maxFrameBytes` above the largest record plus this.
 */
export const MAX_BATCH_FRAME_BYTES = 1024 * 1024;

/** A batch as one encoded frame or, above {@link MAX_BATCH_FRAME_BYTES}, as several, in order. */
function framesOf(batch: BatchFrame): { firstSeq: number; lastSeq: number; bytes: Uint8Array }[] {
  const bytes = encodeFrame(batch);
  const lastSeq = batch.firstSeq + batch.lines.length - 1;
  if (bytes.length <= MAX_BATCH_FRAME_BYTES || batch.lines.length < 2) return [{ firstSeq: batch.firstSeq, lastSeq, bytes }];
  const half = Math.ceil(batch.lines.length / 2);
  return [
    ...framesOf({ ...batch, lines: batch.lines.slice(0, half) }),
    ...framesOf({ ...batch, firstSeq: batch.firstSeq + half, lines: batch.lines.slice(half) }),
  ];
}

interface Link {
  readonly socket: ProducerSocket;
  readonly writer: StreamWriter;
  gone: boolean;
}

/**
 * A producer's channel to a collector that may come and go. To the queue handler it never closes:
 * each batch is kept as an encoded frame until the collector confirms that its sinks wrote it
 * (bounded by `maxUnconfirmedBytes`, oldest dropped first), so the handler's own queue is freed at
 * once. Each connection starts with the hello (its `lastSeq`: the last record confirmed), then every
 * unconfirmed frame and every unanswered flush, in order; the collector skips records it already
 * took. A lost connection is retried with exponential backoff and jitter.
 */
export class ReconnectingEndpoint implements ProducerEndpoint {
  readonly durable = false;
  private readonly unconfirmed: UnconfirmedFrames;
  private readonly flushes = new Map<number, { readonly bytes: Uint8Array; readonly seq: number }>();
  private hello: HelloFrame | undefined;
  private bye: Uint8Array | undefined;
  private lastSeqHandedOver = 0;
  private confirmedSeq = 0;
  private link: Link | undefined;
  private connecting: ProducerSocket | undefined;
  private attempt = 0;
  private reconnectTimer: unknown;
  private reconnectKeepsAlive = false;
  private receiver: ((frame: ListenerFrame) => void) | undefined;
  private closeCallback: (() => void) | undefined;
  private closed = false;
  private connects = 0;
  private refusals = 0;
  private lastRefusal: string | undefined;

  constructor(private readonly settings: ReconnectSettings) {
    this.unconfirmed = new UnconfirmedFrames(settings.maxUnconfirmedBytes);
  }

  get stats(): ReconnectStats {
    return {
      connected: this.link !== undefined,
      connects: this.connects,
      unconfirmedBytes: this.unconfirmed.bytes,
      droppedOldest: this.unconfirmed.droppedRecords,
      refusals: this.refusals,
    };
  }

  send(frame: ProducerFrame): void {
    if (this.closed) throw new Error('the local logger is closed');
    switch (frame.type) {
      case 'hello':
        this.hello = frame;
        this.connect();
        return;
      case 'batch': {
        for (const bytes of framesOf(frame)) this.keepAndWrite(bytes);
        // The frames are kept here now: the handler's own queue may let them go.
        this.receiver?.({ type: 'ack', seq: this.lastSeqHandedOver });
        return;
      }
      case 'flush': {
        const bytes = encodeFrame(frame);
        this.flushes.set(frame.id, { bytes, seq: this.lastSeqHandedOver });
        this.updateKeepAlive();
        this.write(bytes);
        return;
      }
      case 'bye':
        this.bye = encodeFrame(frame);
        this.write(this.bye);
        return;
    }
  }

  onFrame(receiver: (frame: ListenerFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: () => void): void {
    this.closeCallback = callback;
  }

  /** Writes what waits for the socket, bounded by `closeTimeoutMs`, without closing (on a signal). */
  drainSync(): void {
    this.link?.writer.drainSync(this.settings.closeTimeoutMs);
  }

  /**
   * Writes what waits (bounded by `closeTimeoutMs`) and ends. Records that never went out to a
   * connected collector are handed to `onUndelivered`.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopReconnect();
    const link = this.link;
    const written = link !== undefined && !link.gone && link.writer.drainSync(this.settings.closeTimeoutMs, this.settings.closeTimeoutMs);
    const left = this.unconfirmed.takeAll();
    if (!written) {
      const lines: string[] = [];
      const decoder = new FrameDecoder();
      for (const frame of left) for (const decoded of decoder.push(frame.bytes)) if (decoded.type === 'batch') lines.push(...decoded.lines);
      if (lines.length > 0) this.settings.onUndelivered(lines);
    }
    link?.socket.close();
    this.connecting?.close();
    this.connecting = undefined;
    this.link = undefined;
    for (const [id] of this.flushes) this.receiver?.({ type: 'flushed', id, complete: false });
    this.flushes.clear();
    this.closeCallback?.();
  }

  private keepAndWrite(frame: { readonly firstSeq: number; readonly lastSeq: number; readonly bytes: Uint8Array }): void {
    this.unconfirmed.push(frame);
    this.lastSeqHandedOver = frame.lastSeq;
    this.write(frame.bytes);
  }

  private write(bytes: Uint8Array): void {
    const link = this.link;
    if (link === undefined || link.gone) return;
    try {
      link.writer.write(bytes);
    } catch {
      this.lost(link);
    }
  }

  private connect(): void {
    if (this.closed || this.connecting !== undefined || this.link !== undefined) return;
    const decoder = new FrameDecoder();
    let link: Link | undefined;
    const socket = this.settings.driver.connect(this.settings.target, {
      connected: () => {
        if (this.closed) return socket.close();
        const made: Link = {
          socket,
          writer: new StreamWriter(
            (bytes, offset, length) => socket.writeSync(bytes, offset, length),
            () => this.lost(made),
          ),
          gone: false,
        };
        link = made;
        this.connecting = undefined;
        this.link = made;
        this.connects += 1;
        this.updateKeepAlive();
        this.sendEverything(made);
      },
      data: (chunk) => {
        for (const frame of decoder.push(chunk)) this.answer(frame, socket);
      },
      ended: () => {
        if (link !== undefined) return this.lost(link);
        if (this.connecting === socket) this.connecting = undefined;
        this.scheduleReconnect();
      },
    });
    this.connecting = socket;
    socket.keepAlive(this.flushes.size > 0);
  }

  /** A new connection: the hello with the last confirmed record, every unconfirmed frame, every open flush. */
  private sendEverything(link: Link): void {
    const hello = this.hello as HelloFrame;
    const frames = [encodeFrame({ ...hello, lastSeq: this.confirmedSeq }), ...this.unconfirmed.all().map((frame) => frame.bytes)];
    for (const flush of this.flushes.values()) frames.push(flush.bytes);
    if (this.bye !== undefined) frames.push(this.bye);
    for (const bytes of frames) {
      if (link.gone) return;
      try {
        link.writer.write(bytes);
      } catch {
        return this.lost(link);
      }
    }
  }

  private answer(frame: WireFrame, socket: ProducerSocket): void {
    switch (frame.type) {
      case 'ack':
        this.confirm(frame.seq);
        return;
      case 'flushed': {
        const flush = this.flushes.get(frame.id);
        if (flush === undefined) return;
        this.flushes.delete(frame.id);
        if (frame.complete) this.confirm(flush.seq);
        this.updateKeepAlive();
        this.receiver?.(frame);
        return;
      }
      case 'refused':
        this.refusals += 1;
        if (frame.reason !== this.lastRefusal) this.settings.report(`the collector refused this producer (it tries again later): ${frame.reason}`);
        this.lastRefusal = frame.reason;
        socket.close();
        return;
    }
  }

  private confirm(seq: number): void {
    if (seq > this.confirmedSeq) this.confirmedSeq = seq;
    this.unconfirmed.confirm(seq);
    this.attempt = 0;
    this.lastRefusal = undefined;
  }

  private lost(link: Link): void {
    if (link.gone) return;
    link.gone = true;
    link.socket.close();
    if (this.link === link) this.link = undefined;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer !== undefined || this.link !== undefined || this.connecting !== undefined) return;
    const delay = reconnectDelayMs(this.attempt++, this.settings.backoff);
    const run = (): void => {
      this.reconnectTimer = undefined;
      this.connect();
    };
    // Someone waits for a flush: the retries keep the process alive until it is answered or times out.
    this.reconnectKeepsAlive = this.flushes.size > 0;
    this.reconnectTimer = this.reconnectKeepsAlive ? startKeepAliveTimer(run, delay) : startTimer(run, delay);
  }

  private stopReconnect(): void {
    if (this.reconnectTimer === undefined) return;
    if (this.reconnectKeepsAlive) stopKeepAliveTimer(this.reconnectTimer);
    else stopTimer(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  private updateKeepAlive(): void {
    this.link?.socket.keepAlive(this.flushes.size > 0);
  }
}
