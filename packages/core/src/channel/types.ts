import type { ProducerExit } from '../adapter/connected-producer.ts';
import type { ListenerFrame, ProducerFrame, ReceivedFrame } from '../protocol/frames.ts';

/** How a channel ended, as far as the listener can tell. */
export interface ChannelCloseInfo {
  /** Why, in words: `exit code 1`, `terminated`, `EOF`… */
  readonly reason?: string;
  /**
   * The last sequence number the producer is known to have handed over (for example read from a
   * shared-memory ring after the worker died). When it is above what arrived, the difference is
   * reported as lost.
   */
  readonly lastSeqKnown?: number;
  /**
   * How the producer ended, when its adapter knows (thread or process exit). The listener writes a
   * warn `tributary.producer_exited` record for `crashed`, `killed` and `terminated`, and none for a
   * normal end (`ended`, `stopped`) with nothing lost. Without it, a channel that closed without `bye`
   * counts as abnormal.
   */
  readonly exit?: Omit<ProducerExit, 'lastSeq'>;
}

/** The producer's end of a channel. */
export interface ProducerEndpoint {
  /** Hands a frame to the channel. Throws if the channel is closed. */
  send(frame: ProducerFrame): void;
  /** Registers the receiver of the listener's frames (one receiver). */
  onFrame(receiver: (frame: ListenerFrame) => void): void;
  /** Registers a callback for the channel's end (one callback). */
  onClose(callback: () => void): void;
  /** Closes this end. Idempotent. */
  close(): void;
  /**
   * True when a frame is safe from the producer's own sudden death once `send` returned (shared
   * memory, a synchronous pipe write). The handler then sends every record at once instead of
   * batching it in its own memory. Default: false.
   */
  readonly durable?: boolean;
  /**
   * Optional fast path of a durable endpoint: hands over one record, the canonical line with sequence
   * number `seq`, without a frame object. When present the handler calls it for every record instead
   * of sending batch frames. It must not throw for a full channel: it drops the record, and the
   * listener sees the hole in the sequence. Throws if the channel is closed.
   */
  appendLine?(seq: number, line: string): void;
}

/** The listener's end of a channel. */
export interface ListenerEndpoint {
  /** Sends a frame to the producer. Must not throw when the producer is gone (drop it instead). */
  send(frame: ListenerFrame): void;
  /** Registers the receiver of the producer's frames (one receiver). */
  onFrame(receiver: (frame: ReceivedFrame) => void): void;
  /** Registers a callback for the channel's end (one callback). Called at most once. */
  onClose(callback: (info: ChannelCloseInfo) => void): void;
  /** Closes this end. Idempotent. */
  close(): void;
  /**
   * Optional: delivers at once every frame the producer already handed over (e.g. what waits in a
   * shared-memory ring). The listener calls it before it flushes, stops, or drains at exit.
   */
  drain?(): void;
}
