import { StreamListenerEndpoint, afterCurrentTask, invalidProducerFrame, startTimer, stopTimer } from '@tributary/core/adapter';
import type { ChannelCloseInfo, FrameDamage, ListenerEndpoint, ListenerFrame, ReceivedFrame, StreamProducerStatus } from '@tributary/core/adapter';
import type { CollectorSocket } from '../driver/types.ts';
import type { AckGate, AckTarget } from './ack-gate.ts';

/** What every connection of one collector shares. */
export interface ConnectionContext {
  readonly gate: AckGate;
  /**
   * The last sequence number the listener took from each producer id over all its connections, with
   * the process id of the producer that sent it (a restarted process with the same id starts anew).
   */
  readonly taken: Map<string, { readonly pid: unknown; readonly seq: number }>;
  readonly maxFrameBytes: number;
  /** How long the end of a connection without goodbye waits for its producer to reconnect, in milliseconds. */
  readonly reconnectGraceMs: number;
  /** The connection that holds each producer id's session (live, or ended and waiting for a reconnect). */
  readonly holders: Map<string, CollectorConnection>;
  /** Ended connections waiting for their producer to reconnect. */
  readonly waiting: Set<CollectorConnection>;
  /** Reports a connection closed for a protocol violation. */
  problem(message: string, fields: Readonly<Record<string, unknown>>): void;
  /** The connection ended. */
  ended(connection: CollectorConnection): void;
}

/**
 * The listener's end of one producer's connection: the core's stream channel, plus what a socket
 * peer that reconnects needs. The hello's `lastSeq` is raised to what this collector already took
 * from that producer id (so records sent again after a reconnect are written once); acks wait until
 * the sinks wrote the records (see {@link AckGate}); a corrupt, oversized or malformed frame closes
 * this connection, with a report, and nothing else. A connection that ends without goodbye waits
 * `reconnectGraceMs` before the listener hears of it: when the same producer (id and process)
 * connects again meanwhile, the old session ends quietly (it sends again what was not confirmed);
 * otherwise the listener reports the end and what may be lost.
 */
export class CollectorConnection implements ListenerEndpoint, AckTarget {
  private readonly stream: StreamListenerEndpoint;
  private receiver: ((frame: ReceivedFrame) => void) | undefined;
  private producer: string | undefined;
  private pid: unknown;
  private status: StreamProducerStatus | undefined;
  private statusCallback: (() => void) | undefined;
  private closed = false;
  private saidBye = false;
  private refused = false;
  private closeCallback: ((info: ChannelCloseInfo) => void) | undefined;
  private waitingInfo: ChannelCloseInfo | undefined;
  private graceTimer: unknown;

  constructor(
    socket: CollectorSocket,
    private readonly context: ConnectionContext,
  ) {
    this.stream = new StreamListenerEndpoint(
      {
        readRecords: (receive, end) => socket.read(receive, end),
        writeAnswer: (bytes) => socket.write(bytes),
        close: () => socket.close(),
      },
      {
        status: () => this.status,
        onStatus: (callback) => {
          this.statusCallback = callback;
        },
        unknown: 'the connection ended without goodbye',
        wait: 0,
      },
      { maxFrameBytes: context.maxFrameBytes, onDamage: (damage) => this.damaged(damage) },
    );
    this.stream.onFrame((frame) => this.receive(frame));
  }

  send(frame: ListenerFrame): void {
    if (frame.type === 'ack') {
      if (this.producer !== undefined)
        this.context.taken.set(this.producer, { pid: this.pid, seq: Math.max(this.takenFrom(this.producer, this.pid), frame.seq) });
      this.context.gate.hold(this, frame.seq);
      return;
    }
    if (frame.type === 'refused') this.refused = true;
    this.stream.send(frame);
  }

  deliverAck(seq: number): void {
    this.stream.send({ type: 'ack', seq });
  }

  onFrame(receiver: (frame: ReceivedFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: (info: ChannelCloseInfo) => void): void {
    this.closeCallback = callback;
    this.stream.onClose((info) => {
      this.closed = true;
      this.context.gate.forget(this);
      this.context.ended(this);
      const mayReconnect = this.producer !== undefined && !this.saidBye && !this.refused && this.status === undefined;
      if (!mayReconnect || this.context.holders.get(this.producer as string) !== this) {
        this.release(info);
        return;
      }
      this.waitingInfo = info;
      this.context.waiting.add(this);
      this.graceTimer = startTimer(() => this.reportEnd(), this.context.reconnectGraceMs);
    });
  }

  /** The wait for a reconnect is over (or the collector closes): the listener hears how it ended. */
  reportEnd(): void {
    const info = this.waitingInfo;
    if (info === undefined) return;
    this.stopWaiting();
    this.release(info);
  }

  /** The same producer connected again: this connection's session ends quietly. */
  private superseded(): void {
    if (this.waitingInfo === undefined) return this.endQuietly();
    this.stopWaiting();
    if (this.producer !== undefined) this.receiver?.({ type: 'bye', producer: this.producer, lastSeq: 0 });
    this.release({ reason: 'the producer reconnected', exit: { reason: 'stopped' } });
  }

  private stopWaiting(): void {
    stopTimer(this.graceTimer);
    this.waitingInfo = undefined;
    this.context.waiting.delete(this);
  }

  private release(info: ChannelCloseInfo): void {
    if (this.producer !== undefined && this.context.holders.get(this.producer) === this) this.context.holders.delete(this.producer);
    this.closeCallback?.(info);
  }

  drain(): void {
    this.stream.drain();
  }

  close(): void {
    this.stream.close();
  }

  /**
   * Ends the connection from the collector's side without a loss: the producer keeps what it has not
   * had confirmed and sends it again to the next collector, so the session ends as if it said goodbye.
   */
  endQuietly(): void {
    if (this.closed) return;
    // lastSeq 0 announces nothing more: what the producer sends again later is taken then.
    if (this.producer !== undefined) this.receiver?.({ type: 'bye', producer: this.producer, lastSeq: 0 });
    this.closeWith({ description: 'closed by the collector (the producer sends what was not confirmed again)', exit: { reason: 'stopped' } });
  }

  private receive(frame: ReceivedFrame): void {
    if (this.closed || this.status !== undefined) return;
    const invalid = invalidProducerFrame(frame) ?? this.foreignBatch(frame);
    if (invalid !== undefined) return this.violation(`malformed frame: ${invalid}`);
    if (frame.type === 'bye') this.saidBye = true;
    if (frame.type === 'hello' && this.producer === undefined) {
      this.producer = frame.producer;
      this.pid = frame.pid;
      // The same process connecting again has given its old connection up.
      const previous = this.context.holders.get(frame.producer);
      if (previous !== undefined && previous !== this && previous.pid === frame.pid) previous.superseded();
      if (!this.context.holders.has(frame.producer)) this.context.holders.set(frame.producer, this);
      const taken = this.takenFrom(frame.producer, frame.pid);
      const announced = frame.lastSeq ?? 0;
      if (typeof announced === 'number' && taken > announced) return this.receiver?.({ ...frame, lastSeq: taken });
    }
    this.receiver?.(frame);
  }

  /** What the listener already took from this producer id sent by the process `pid` (0: nothing). */
  private takenFrom(producer: string, pid: unknown): number {
    const taken = this.context.taken.get(producer);
    return taken !== undefined && taken.pid === pid ? taken.seq : 0;
  }

  /** A batch that names another producer than the hello did. */
  private foreignBatch(frame: ReceivedFrame): string | undefined {
    if (frame.type !== 'batch' || this.producer === undefined || frame.producer === this.producer) return undefined;
    return `batch of producer ${JSON.stringify(frame.producer)} on the connection of ${JSON.stringify(this.producer)}`;
  }

  private damaged(damage: FrameDamage): void {
    const what =
      damage.oversizedBytes !== undefined
        ? `oversized frame (${damage.oversizedBytes} bytes announced, maxFrameBytes is ${this.context.maxFrameBytes})`
        : `corrupt frame or wrong codec version (${damage.bytes} bytes discarded)`;
    // Not inside the decoder's own loop: close once it returned.
    afterCurrentTask(() => this.violation(what));
  }

  private violation(what: string): void {
    if (this.closed || this.status !== undefined) return;
    const producer = this.producer ?? '(no hello yet)';
    this.context.problem(`closed the connection of producer ${producer}: ${what}`, { closedProducer: producer, reason: what });
    this.closeWith({ description: `closed by the collector: ${what}` });
  }

  private closeWith(status: StreamProducerStatus): void {
    this.status = status;
    this.statusCallback?.();
    this.stream.close();
  }
}
