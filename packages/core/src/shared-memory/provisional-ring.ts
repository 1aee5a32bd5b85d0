import { createRingBuffer } from './ring-layout.ts';
import { createRingProducerEndpoint } from './ring-producer.ts';
import type { RingProducerEndpoint } from './ring-producer.ts';
import { waitAsync } from './ring-reader.ts';

/** The claim's states (word 0): nobody has the ring yet, an acceptor reads it, the thread gave it up. */
const PENDING = 0;
const ACCEPTED = 1;
const ABANDONED = 2;
/** Word 1: the acceptor's `waitTimeout` plus one (0: it chose none). */
const WAIT_TIMEOUT = 1;

/**
 * A ring a thread makes for itself while it waits for its channel (see `acceptWorkers()`): its
 * logger writes every record into it at once, waiting for nobody while no reader has it, so what a
 * log call returned from is in shared memory even before an acceptor answered — a thread that is
 * paused (a pool's idle thread) or terminated before it heard anything loses nothing the acceptor
 * can read. The claim word decides, without a lock, who has the ring: the first acceptor that takes
 * it, or the thread that gives it up because another channel (its parent's ring) came first.
 */
export interface ProvisionalRing {
  /** The ring's shared memory, for the acceptor. */
  readonly buffer: SharedArrayBuffer;
  /** The claim words (8 bytes), for the acceptor's {@link takeProvisionalRing}. */
  readonly claim: SharedArrayBuffer;
  /** The ring's producer end (its wait timeout is 0 until an acceptor takes it). */
  readonly endpoint: RingProducerEndpoint;
  /** True once an acceptor took the ring. */
  accepted(): boolean;
  /** The ring's wait timeout once an acceptor took it: the acceptor's choice, else the thread's. */
  takenWaitTimeout(): number;
  /** Gives the ring up: true when no acceptor has it (now nobody will), false when one already took it. */
  abandon(): boolean;
  /** Calls `callback` once an acceptor took the ring (not if the thread gave it up); keeps no thread alive. */
  whenAccepted(callback: () => void): void;
}

/** Makes a thread's provisional ring (1 MiB, the default ring size); `waitTimeout` applies once taken unless the acceptor chose one (default 1,000 ms). */
export function createProvisionalRing(waitTimeout = 1_000): ProvisionalRing {
  const buffer = createRingBuffer();
  const claim = new SharedArrayBuffer(8);
  const words = new Int32Array(claim);
  const endpoint = createRingProducerEndpoint(buffer, { waitTimeout: 0 });
  const accepted = (): boolean => Atomics.load(words, 0) === ACCEPTED;
  return {
    buffer,
    claim,
    endpoint,
    accepted,
    takenWaitTimeout() {
      const stored = Atomics.load(words, WAIT_TIMEOUT);
      return stored === 0 ? waitTimeout : stored - 1;
    },
    abandon() {
      const before = Atomics.compareExchange(words, 0, PENDING, ABANDONED);
      Atomics.notify(words, 0);
      return before !== ACCEPTED;
    },
    whenAccepted(callback) {
      const check = (): void => {
        const state = Atomics.load(words, 0);
        if (state === ACCEPTED) return callback();
        if (state === ABANDONED || waitAsync === undefined) return;
        const result = waitAsync(words, 0, PENDING);
        if (result.async) void (result.value as Promise<unknown>).then(check);
        else check();
      };
      check();
    },
  };
}

/**
 * The acceptor's side: takes a thread's provisional ring (its `claim` words), telling it the
 * acceptor's `waitTimeout`. False when another acceptor took it or the thread gave it up.
 */
export function takeProvisionalRing(claim: SharedArrayBuffer, waitTimeout: number | undefined): boolean {
  if (!(claim instanceof SharedArrayBuffer) || claim.byteLength < 8) return false;
  const words = new Int32Array(claim, 0, 2);
  if (Atomics.load(words, 0) !== PENDING) return false;
  if (waitTimeout !== undefined) Atomics.store(words, WAIT_TIMEOUT, Math.min(waitTimeout, 2 ** 31 - 2) + 1);
  const taken = Atomics.compareExchange(words, 0, PENDING, ACCEPTED) === PENDING;
  Atomics.notify(words, 0);
  return taken;
}
