/**
 * The messages by which a thread whose logger was not handed a ring is taken by an acceptor
 * (`acceptWorkers()` of a worker adapter). They travel on one `BroadcastChannel`, which every thread
 * of a process shares on Node, Deno and Bun, so neither side needs the other's `Worker` object or
 * `parentPort` (a thread pool owns those):
 *
 * 1. the thread posts `request` with the ring it made for itself (see `provisional-ring.ts`), its
 *    claim words and how an acceptor can see it end;
 * 2. an acceptor that can watch that thread takes the ring through the claim words (no answer on
 *    the channel: a thread paused between a pool's tasks need not hear anything) and reads it;
 * 3. an acceptor that starts posts `present`, and threads still waiting post their request again.
 */

/** The channel's name; the version is in it, so another layout never meets this one. */
export const ACCEPT_CHANNEL = 'tributary:accept:v1';

/** Marks this protocol's messages among whatever else the channel carries. */
export const ACCEPT_MARK = 'tributary.accept';

/** How an acceptor can see a thread end: its thread id (Node, Bun) or the Web Lock it holds for its life (Deno). */
export interface AcceptIdentity {
  /** The thread's id (`threadId` of `node:worker_threads`), matched with the `Worker` its creator made. */
  readonly thread?: number;
  /** A Web Lock the thread holds for its whole life: granted to another thread only once it ended. */
  readonly lock?: string;
}

export interface AcceptRequest {
  readonly mark: typeof ACCEPT_MARK;
  readonly kind: 'request';
  readonly identity: AcceptIdentity;
  /** The thread's ring. */
  readonly buffer: SharedArrayBuffer;
  /** Who has the ring (`takeProvisionalRing`). */
  readonly claim: SharedArrayBuffer;
}

export interface AcceptPresent {
  readonly mark: typeof ACCEPT_MARK;
  readonly kind: 'present';
}

export type AcceptMessage = AcceptRequest | AcceptPresent;

/** True for a message of this protocol (the fields each kind needs are checked where it is read). */
export function isAcceptMessage(value: unknown): value is AcceptMessage {
  return typeof value === 'object' && value !== null && (value as { mark?: unknown }).mark === ACCEPT_MARK;
}
