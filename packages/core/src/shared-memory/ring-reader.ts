import {
  CONSUMER_CLOSED,
  CONSUMER_SLEEPING,
  FLUSHED,
  HEAD,
  PRODUCER_CLOSED,
  PRODUCER_WAITING,
  TAIL,
  readLastSeq,
  ringViews,
} from './ring-layout.ts';
import { newTextDecoder, sleep } from './host-text.ts';

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
/** Polling interval where `Atomics.waitAsync` is missing, in milliseconds. */
const POLL_INTERVAL = 4;

const NO_LINES: readonly string[] = [];

/**
 * The consumer's side of one ring: copies what the producer published, frees the room at once
 * (publishing the tail and waking a waiting producer), decodes it and returns the complete lines.
 * A line still being written (a record longer than what has arrived) is kept until its end comes.
 */
export class RingReader {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly capacity: number;
  private readonly mask: number;
  private readonly decoder = newTextDecoder();
  private scratch = new Uint8Array(0);
  private tail: number;
  private carry = '';

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
    return this.carry.length;
  }

  /** Every complete line published since the last call, in order (without newlines). */
  readLines(): readonly string[] {
    const head = Atomics.load(this.header, HEAD) >>> 0;
    const length = (head - this.tail) >>> 0;
    if (length === 0) return NO_LINES;
    if (this.scratch.length < length) this.scratch = new Uint8Array(Math.max(length, Math.min(this.capacity, this.scratch.length * 2)));
    const index = this.tail & this.mask;
    const first = Math.min(length, this.capacity - index);
    this.scratch.set(this.data.subarray(index, index + first));
    if (first < length) this.scratch.set(this.data.subarray(0, length - first), first);
    this.tail = head;
    Atomics.store(this.header, TAIL, head | 0);
    if (Atomics.load(this.header, PRODUCER_WAITING) !== 0) Atomics.notify(this.header, TAIL);
    const text = this.decoder.decode(this.scratch.subarray(0, length), { stream: true });
    const lines = text.split('\n');
    const last = lines.length - 1;
    if (this.carry !== '') lines[0] = this.carry + (lines[0] as string);
    this.carry = lines[last] as string;
    lines.length = last;
    return lines;
  }

  /**
   * Resolves when the producer may have published more (or closed), after at most a second; returns
   * undefined when there is something to read already.
   */
  waitForData(): Promise<unknown> | undefined {
    Atomics.store(this.header, CONSUMER_SLEEPING, 1);
    if (!this.empty || this.producerClosed || Atomics.load(this.header, CONSUMER_CLOSED) !== 0) {
      Atomics.store(this.header, CONSUMER_SLEEPING, 0);
      return undefined;
    }
    if (waitAsync === undefined) return sleep(POLL_INTERVAL);
    const result = waitAsync(this.header, HEAD, this.tail | 0, WAIT_SLICE);
    if (!result.async) {
      Atomics.store(this.header, CONSUMER_SLEEPING, 0);
      return undefined;
    }
    return result.value as Promise<unknown>;
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
