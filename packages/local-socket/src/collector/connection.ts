import { StreamListenerEndpoint, invalidProducerFrame } from '@tributary/core/adapter';
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
 * this connection, with a report, and nothing else.
 */
export class CollectorConnection implements ListenerEndpoint, AckTarget {
  private readonly stream: StreamListenerEndpoint;
  private receiver: ((frame: ReceivedFrame) => void) | undefined;
  private producer: string | undefined;
  private pid: unknown;
  private status: StreamProducerStatus | undefined;
  private statusCallback: (() => void) | undefined;
  private closed = false;

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
    this.stream.send(frame);
  }

  deliverAck(seq: number): void {
    this.stream.send({ type: 'ack', seq });
  }

  onFrame(receiver: (frame: ReceivedFrame) => void): void {
    this.receiver = receiver;
  }

  onClose(callback: (info: ChannelCloseInfo) => void): void {
    this.stream.onClose((info) => {
      this.closed = true;
      this.context.gate.forget(this);
      this.context.ended(this);
      callback(info);
    });
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
    if (frame.type === 'hello' && this.producer === undefined) {
      this.producer = frame.producer;
      this.pid = frame.pid;
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
    queueMicrotask(() => this.violation(what));
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
