/**
 * The layout of a shared-memory ring: one single-producer/single-consumer byte ring in a
 * `SharedArrayBuffer`, with a small header of 32-bit words that both sides read and write only with
 * `Atomics`. There is no lock anywhere: each word has exactly one writer, so a side that dies at any
 * instruction leaves the other side nothing to wait for but its own timeouts.
 *
 * Words (Int32, index in the header):
 * - MAGIC, LAYOUT, CAPACITY: written once by the creator.
 * - HEAD: bytes written so far (mod 2^32). Producer only. Consumers wait on it.
 * - LAST_SEQ_LOW/HIGH: the sequence number of the last record the producer dropped, or of a large
 *   record it began to write in pieces. Producer only. Read after the producer died: with the
 *   records found in the ring it gives the exact loss.
 * - PRODUCER_WAITING: 1 while the producer waits for space. Producer sets it, the consumer reads it.
 * - PRODUCER_CLOSED: 1 once the producer said bye and closed. Producer only.
 * - PRODUCER_CLAIMED: set once, by compare-and-swap, by the one thread that writes this ring.
 * - TAIL: bytes consumed so far (mod 2^32). Consumer only. The producer waits on it when full.
 * - CONSUMER_SLEEPING: while the consumer waits for data, SLEEP_LIGHT (it looks again within a few
 *   milliseconds) or SLEEP_DEEP; the producer that resets it to SLEEP_NONE notifies.
 * - CONSUMER_CLOSED: 1 once the listener closed its end: the producer stops waiting and drops.
 * - FLUSHED: the last flush id the listener answered, negative when that flush was incomplete.
 *
 * Data: `capacity` bytes (a power of two), written as UTF-8 text. Each record is one canonical JSON
 * line followed by `\n` and may wrap around the end of the ring (and may be longer than the ring:
 * it is then written in pieces while the consumer reads). Lines starting with `\x01` carry a JSON
 * control frame (hello, flush, bye, or `{"type":"seq","next":N}` after dropped records); a line
 * ending with `\x18` is a record the producer gave up half-way and is discarded.
 */

/** `TRIB` in ASCII: marks a buffer made by {@link createRingBuffer}. */
export const RING_MAGIC = 0x54524942;
/** The layout version; both sides must agree. */
export const RING_LAYOUT_VERSION = 1;

export const MAGIC = 0;
export const LAYOUT = 1;
export const CAPACITY = 2;
// Producer-written words, on their own cache line.
export const HEAD = 16;
export const LAST_SEQ_LOW = 17;
export const LAST_SEQ_HIGH = 18;
export const PRODUCER_WAITING = 19;
export const PRODUCER_CLOSED = 20;
export const PRODUCER_CLAIMED = 21;
// Consumer-written words, on another cache line.
export const TAIL = 32;
export const CONSUMER_SLEEPING = 33;
export const CONSUMER_CLOSED = 34;
export const FLUSHED = 35;

/** CONSUMER_SLEEPING values. */
export const SLEEP_NONE = 0;
export const SLEEP_LIGHT = 1;
export const SLEEP_DEEP = 2;

/** Bytes before the data area. */
export const HEADER_BYTES = 192;
/** Smallest ring. */
export const MIN_RING_BYTES = 1024;
/** Largest ring (positions are counted mod 2^32). */
export const MAX_RING_BYTES = 1 << 30;
/** Default data capacity of a ring: 1 MiB. */
export const DEFAULT_RING_BYTES = 1 << 20;

/** First character of a control line. */
export const CONTROL_MARK = '\x01';
/** Last character of a record the producer abandoned. */
export const CANCEL_MARK = '\x18';

/** Both views of one ring. */
export interface RingViews {
  readonly header: Int32Array;
  readonly data: Uint8Array;
  readonly capacity: number;
  readonly mask: number;
}

/** Checks a ring capacity option at configuration time (a `RangeError` unless it is an integer from 1 to the maximum). */
export function checkRingBytes(capacity: unknown): void {
  if (typeof capacity !== 'number' || !Number.isSafeInteger(capacity) || capacity < 1 || capacity > MAX_RING_BYTES) {
    throw new RangeError(`ring capacity must be an integer from ${MIN_RING_BYTES} to ${MAX_RING_BYTES} bytes; got ${String(capacity)}`);
  }
}

/**
 * Makes the shared memory for one producer's ring. `capacity` is the data size in bytes, rounded up
 * to a power of two between 1 KiB and 1 GiB. Default: 1 MiB.
 */
export function createRingBuffer(capacity: number = DEFAULT_RING_BYTES): SharedArrayBuffer {
  checkRingBytes(capacity);
  let size = MIN_RING_BYTES;
  while (size < capacity) size *= 2;
  if (typeof SharedArrayBuffer !== 'function') {
    throw new TypeError('SharedArrayBuffer is not available in this runtime (a browser page needs cross-origin isolation)');
  }
  const buffer = new SharedArrayBuffer(HEADER_BYTES + size);
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  Atomics.store(header, CAPACITY, size);
  Atomics.store(header, LAYOUT, RING_LAYOUT_VERSION);
  Atomics.store(header, MAGIC, RING_MAGIC);
  return buffer;
}

/** Checks a buffer received from another thread and returns its views; throws a clear error if it is no ring. */
export function ringViews(buffer: SharedArrayBuffer): RingViews {
  if (typeof SharedArrayBuffer !== 'function' || !(buffer instanceof SharedArrayBuffer) || buffer.byteLength < HEADER_BYTES + MIN_RING_BYTES) {
    throw new TypeError('not a tributary ring: expected a SharedArrayBuffer made by createRingBuffer()');
  }
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  if (Atomics.load(header, MAGIC) !== RING_MAGIC) throw new TypeError('not a tributary ring: bad magic number');
  const layout = Atomics.load(header, LAYOUT);
  if (layout !== RING_LAYOUT_VERSION) {
    throw new TypeError(`tributary ring layout ${layout} is not supported; this build reads layout ${RING_LAYOUT_VERSION}`);
  }
  const capacity = Atomics.load(header, CAPACITY);
  if (capacity < MIN_RING_BYTES || (capacity & (capacity - 1)) !== 0 || HEADER_BYTES + capacity > buffer.byteLength) {
    throw new TypeError(`tributary ring has a bad capacity (${capacity})`);
  }
  return { header, data: new Uint8Array(buffer, HEADER_BYTES, capacity), capacity, mask: capacity - 1 };
}

/** The producer's last claimed sequence number, as published in the header. */
export function readLastSeq(header: Int32Array): number {
  for (;;) {
    const high = Atomics.load(header, LAST_SEQ_HIGH);
    const low = Atomics.load(header, LAST_SEQ_LOW) >>> 0;
    if (Atomics.load(header, LAST_SEQ_HIGH) === high) return high * 2 ** 32 + low;
  }
}

/** Publishes the producer's last claimed sequence number. */
export function writeLastSeq(header: Int32Array, seq: number, previousHigh: number): number {
  const high = Math.floor(seq / 2 ** 32);
  if (high !== previousHigh) Atomics.store(header, LAST_SEQ_HIGH, high);
  Atomics.store(header, LAST_SEQ_LOW, seq >>> 0);
  return high;
}

/**
 * Claims a ring for the calling thread's producer: true for the first caller, false for any other
 * (a ring has exactly one producer; a nested worker that inherited it must not write to it).
 */
export function claimRing(buffer: SharedArrayBuffer): boolean {
  return Atomics.compareExchange(ringViews(buffer).header, PRODUCER_CLAIMED, 0, 1) === 0;
}

/** True once a producer claimed the ring with {@link claimRing} (the listener's side may ask). */
export function ringClaimed(buffer: SharedArrayBuffer): boolean {
  return Atomics.load(ringViews(buffer).header, PRODUCER_CLAIMED) !== 0;
}
