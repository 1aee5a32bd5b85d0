import {
  CONSUMER_CLOSED,
  CONSUMER_SLEEPING,
  FLUSHED,
  HEAD,
  PRODUCER_CLOSED,
  PRODUCER_WAITING,
  SLEEP_DEEP,
  SLEEP_LIGHT,
  SLEEP_NONE,
  TAIL,
  readLastSeq,
  ringViews,
} from './ring-layout.ts';
import { sleep } from '../internal/host.ts';

interface WaitAsyncResult {
  readonly async: boolean;
  readonly value: Promise<unknown> | string;
}
type WaitAsync = (array: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult;

/** `Atomics.waitAsync` where the runtime has it (Node 16+, Deno, Bun). */
export const waitAsync: WaitAsync | undefined =
  typeof (Atomics as unknown as { waitAsync?: unknown }).waitAsync === 'function'
    ? ((Atomics as unknown as { waitAsync: WaitAsync }).waitAsync.bind(Atomics) as WaitAsync)
    : undefined;

/** How long one asynchronous wait lasts before the reader looks again anyway, in milliseconds. */
const WAIT_SLICE = 1_000;
/** How long a light wait lasts, in milliseconds. */
const LIGHT_SLICE = 2;
/** Polling interval where `Atomics.waitAsync` is missing, in milliseconds. */
const POLL_INTERVAL = 4;

const NEWLINE = 10;

/**
 * The consumer's side of one ring: copies what the producer published, frees the room at once
 * (publishing the tail and waking a waiting producer), and returns the complete lines as bytes.
 * A line still being written (a record longer than what has arrived) is kept until its end comes.
 */
export class RingReader {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  /** The ring's data capacity in bytes. */
  readonly capacity: number;
  private readonly mask: number;
  private scratch = new Uint8Array(0);
  private tail: number;
  /** Bytes of a line that has begun but not ended yet, at the start of `scratch`. */
  private carryBytes = 0;

  constructor(buffer: SharedArrayBuffer) {
    const views = ringViews(buffer);
    this.header = views.header;
    this.data = views.data;
    this.capacity = views.capacity;
    this.mask = views.mask;
    this.tail = Atomics.load(this.header, TAIL) >>> 0;
  }

  /** True when nothing published is left to read. */
  get empty(): boolean {
    return Atomics.load(this.header, HEAD) >>> 0 === this.tail;
  }

  /** True once the producer closed its end (after its bye). */
  get producerClosed(): boolean {
    return Atomics.load(this.header, PRODUCER_CLOSED) !== 0;
  }

  /** The last sequence number the producer claimed (written or dropped). */
  get lastSeq(): number {
    return readLastSeq(this.header);
  }

  /** Bytes of a line that has begun but not ended yet. */
  get partialLength(): number {
    return this.carryBytes;
  }

  /**
   * Complete lines published since the last call, in order, as one new array of UTF-8 bytes in
   * which each line ends with its newline; undefined when no line was completed. Call it until it
   * returns undefined to take everything (where the published bytes wrap around the end of the
   * ring, the lines before the end come first). The room in the ring is freed at once. The array
   * belongs to the caller (nothing in it is reused).
   */
  readBlock(): Uint8Array | undefined {
    const head = Atomics.load(this.header, HEAD) >>> 0;
    const length = (head - this.tail) >>> 0;
    if (length === 0) return undefined;
    if (this.carryBytes === 0) {
      const index = this.tail & this.mask;
      const beforeEnd = this.capacity - index;
      // The usual case: the bytes do not wrap and end with a line (the producer publishes whole lines).
      if (length <= beforeEnd) return this.sliceLines(index, length, head);
      // They wrap: first the lines before the end of the ring, then the one line across it.
      const lastNewline = this.data.subarray(index).lastIndexOf(NEWLINE);
      if (lastNewline >= 0) return this.sliceLines(index, lastNewline + 1, (this.tail + lastNewline + 1) >>> 0);
      const across = this.data.subarray(0, length - beforeEnd).indexOf(NEWLINE);
      if (across >= 0) {
        const line = new Uint8Array(beforeEnd + across + 1);
        line.set(this.data.subarray(index));
        line.set(this.data.subarray(0, across + 1), beforeEnd);
        this.freeRoom((this.tail + line.length) >>> 0);
        return line;
      }
    }
    return this.readIntoScratch(length, head);
  }

  /**
   * The bytes from `index`, `length` of them, as one slice, up to their last newline (the rest,
   * the beginning of a line still being written, is kept); frees their room up to `upTo`.
   */
  private sliceLines(index: number, length: number, upTo: number): Uint8Array | undefined {
    const block = this.data.slice(index, index + length);
    this.freeRoom(upTo);
    const end = block.lastIndexOf(NEWLINE);
    if (end === length - 1) return block;
    // A record being written in pieces (longer than what has arrived): keep its beginning.
    this.grownScratch(length - end - 1).set(block.subarray(end + 1));
    this.carryBytes = length - end - 1;
    return end < 0 ? undefined : block.subarray(0, end + 1);
  }

  /** The slow path: a line began in an earlier read (a record written in pieces). */
  private readIntoScratch(length: number, head: number): Uint8Array | undefined {
    const kept = this.carryBytes;
    const total = kept + length;
    const scratch = this.grownScratch(total);
    this.copyPublished(scratch, kept, length, head);
    const end = scratch.lastIndexOf(NEWLINE, total - 1);
    if (end < 0) {
      this.carryBytes = total;
      return undefined;
    }
    const block = scratch.slice(0, end + 1);
    const unfinished = total - end - 1;
    if (unfinished > 0) this.scratch.copyWithin(0, end + 1, total);
    else if (this.scratch.length > 2 * this.capacity) this.scratch = new Uint8Array(0); // after a huge record
    this.carryBytes = unfinished;
    return block;
  }

  /** Copies the published bytes into `target` at `at`, then frees their room and wakes a waiting producer. */
  private copyPublished(target: Uint8Array, at: number, length: number, head: number): void {
    const index = this.tail & this.mask;
    const first = Math.min(length, this.capacity - index);
    target.set(this.data.subarray(index, index + first), at);
    if (first < length) target.set(this.data.subarray(0, length - first), at + first);
    this.freeRoom(head);
  }

  /** Frees the room up to `head` (everything read) and wakes a producer waiting for it. */
  private freeRoom(head: number): void {
    this.tail = head;
    Atomics.store(this.header, TAIL, head | 0);
    if (Atomics.load(this.header, PRODUCER_WAITING) !== 0) Atomics.notify(this.header, TAIL);
  }

  /** The scratch array (holding the unfinished line's bytes at its start), grown to hold `size` bytes. */
  private grownScratch(size: number): Uint8Array {
    if (this.scratch.length < size) {
      const grown = new Uint8Array(Math.max(size, this.scratch.length * 2));
      grown.set(this.scratch.subarray(0, this.carryBytes));
      this.scratch = grown;
    }
    return this.scratch;
  }

  /**
   * Resolves when the producer may have published more (or closed); returns undefined when there is
   * something to read already. A `light` wait ends by itself after a couple of milliseconds (the
   * producer then wakes it only for urgent frames or a well-filled ring); a deep one lasts until
   * the producer writes anything (or a second passes).
   */
  waitForData(light: boolean): Promise<unknown> | undefined {
    Atomics.store(this.header, CONSUMER_SLEEPING, light ? SLEEP_LIGHT : SLEEP_DEEP);
    if (!this.empty || this.producerClosed || Atomics.load(this.header, CONSUMER_CLOSED) !== 0) {
      Atomics.store(this.header, CONSUMER_SLEEPING, SLEEP_NONE);
      return undefined;
    }
    if (waitAsync === undefined) return sleep(POLL_INTERVAL);
    const result = waitAsync(this.header, HEAD, this.tail | 0, light ? LIGHT_SLICE : WAIT_SLICE);
    if (!result.async) {
      Atomics.store(this.header, CONSUMER_SLEEPING, SLEEP_NONE);
      return undefined;
    }
    return (result.value as Promise<unknown>).then(() => Atomics.store(this.header, CONSUMER_SLEEPING, SLEEP_NONE));
  }

  /** Answers the producer's flush `id`. */
  answerFlush(id: number, complete: boolean): void {
    Atomics.store(this.header, FLUSHED, complete ? id : -id);
    Atomics.notify(this.header, FLUSHED);
  }

  /** Closes the consumer's end: the producer stops waiting and drops what it cannot hand over. */
  close(): void {
    Atomics.store(this.header, CONSUMER_CLOSED, 1);
    Atomics.notify(this.header, TAIL);
    Atomics.notify(this.header, FLUSHED);
  }
}
