/**
 * The wire protocol between a producer (QueueHandler) and the listener. Frames are plain objects, so
 * any channel that can carry structured-cloneable values (postMessage, an in-process call) carries
 * them as they are; byte channels (pipes, shared-memory rings) encode them with `frame-codec.ts`.
 */
import { LineBlock } from './line-block.ts';

/** The protocol version this build speaks. A listener refuses producers that speak another. */
export const PROTOCOL_VERSION = 1;

/** First frame a producer sends: who it is. */
export interface HelloFrame {
  readonly type: 'hello';
  /** The protocol version the producer speaks. */
  readonly version: number;
  /** The producer's stable id, unique per listener. */
  readonly producer: string;
  /** `node`, `deno`, `bun` or another runtime name. */
  readonly runtime: string;
  /** The producer's process id. */
  readonly pid: number;
  /** The producer's thread id (0 for a main thread). */
  readonly thread: number;
  /** The sequence number of the last record the producer already sent before this hello (0 when new). */
  readonly lastSeq?: number;
  /**
   * True when every record is safe from the producer's sudden death once its log call returned (a
   * durable endpoint: shared memory, a synchronous pipe write); false when records wait in the
   * producer's memory first (batched delivery), so a kill can lose a tail of unknown size.
   * Absent from older producers: unknown.
   */
  readonly durable?: boolean;
}

/** Records, in sequence order: `lines[i]` has sequence number `firstSeq + i`. */
export interface BatchFrame {
  readonly type: 'batch';
  readonly producer: string;
  readonly firstSeq: number;
  readonly lines: readonly string[];
}

/**
 * Records as bytes, the way an in-process listener endpoint (a shared-memory ring) hands them over
 * without decoding them: line `i` of `block` has sequence number `firstSeq + i`. Never sent by a
 * producer and never carried by a byte channel.
 */
export interface BlockFrame {
  readonly type: 'block';
  readonly producer: string;
  readonly firstSeq: number;
  readonly block: LineBlock;
}

/** Asks the listener to confirm once everything sent before it has reached the sinks. */
export interface FlushFrame {
  readonly type: 'flush';
  readonly id: number;
}

/** The producer's last frame: it sent nothing after `lastSeq`. */
export interface ByeFrame {
  readonly type: 'bye';
  readonly producer: string;
  readonly lastSeq: number;
}

/** Everything a producer sends. */
export type ProducerFrame = HelloFrame | BatchFrame | FlushFrame | ByeFrame;

/** Everything a listener endpoint delivers: a producer's frames, or its records as a block of bytes. */
export type ReceivedFrame = ProducerFrame | BlockFrame;

/** The listener has dispatched every record up to `seq` and freed its place in the producer's budget. */
export interface AckFrame {
  readonly type: 'ack';
  readonly seq: number;
}

/** Answer to a {@link FlushFrame}: `complete` is false when the flush timed out. */
export interface FlushedFrame {
  readonly type: 'flushed';
  readonly id: number;
  readonly complete: boolean;
}

/** The listener will not take this producer's records (e.g. another protocol version). */
export interface RefusedFrame {
  readonly type: 'refused';
  readonly reason: string;
}

/** Everything the listener sends. */
export type ListenerFrame = AckFrame | FlushedFrame | RefusedFrame;

/**
 * Checks that a value received from a channel is a well-formed producer frame; returns a reason when
 * it is not. Used by the listener on every frame, so a corrupt or hostile peer can't crash it.
 */
export function invalidProducerFrame(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return 'not an object';
  const frame = value as Record<string, unknown>;
  switch (frame['type']) {
    case 'hello':
      if (typeof frame['version'] !== 'number') return 'hello without a version';
      if (typeof frame['producer'] !== 'string' || frame['producer'] === '') return 'hello without a producer id';
      return undefined;
    case 'batch':
      if (!isSequence(frame['firstSeq'])) return 'batch with a bad firstSeq';
      if (!Array.isArray(frame['lines'])) return 'batch without lines';
      return undefined;
    case 'block':
      if (!isSequence(frame['firstSeq'])) return 'block with a bad firstSeq';
      if (!(frame['block'] instanceof LineBlock)) return 'block without a line block';
      return undefined;
    case 'flush':
      return typeof frame['id'] === 'number' ? undefined : 'flush without an id';
    case 'bye':
      return isSequence(frame['lastSeq']) || frame['lastSeq'] === 0 ? undefined : 'bye with a bad lastSeq';
    default:
      return `unknown frame type ${JSON.stringify(String(frame['type']))}`;
  }
}

function isSequence(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}
