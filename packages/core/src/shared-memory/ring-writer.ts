import {
  CANCEL_MARK,
  CONSUMER_CLOSED,
  CONSUMER_SLEEPING,
  CONTROL_MARK,
  HEAD,
  PRODUCER_CLOSED,
  PRODUCER_WAITING,
  SLEEP_LIGHT,
  SLEEP_NONE,
  TAIL,
  ringViews,
  writeLastSeq,
} from './ring-layout.ts';
import { newTextEncoder } from '../internal/host.ts';

/** What a ring's producer did so far. */
export interface RingWriterStats {
  /** Records written into the ring. */
  readonly written: number;
  /** Records dropped: the ring stayed full past the wait timeout, or the listener was gone. */
  readonly dropped: number;
  /** Times the producer waited for the listener to make room. */
  readonly waits: number;
  /** Times a wait ended by its timeout. */
  readonly timeouts: number;
}

const encoder = newTextEncoder();
const NEWLINE = 10;

/**
 * The producer's side of one ring: writes lines, publishes the head and the last sequence number
 * with `Atomics`, and, when the ring is full, waits for room with `Atomics.wait` for at most
 * `waitTimeout` ms without progress, then drops (and counts) the record. After a timeout it does not
 * wait again until the listener has moved, so a stalled or vanished listener costs one timeout, not
 * one per call. Holds no lock: the consumer never waits for it.
 */
export class RingWriter {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly capacity: number;
  private readonly mask: number;
  private head: number;
  private tail: number;
  private seqHigh = 0;
  /** The sequence number the consumer expects next; anything else needs a `seq` control line first. */
  private nextSeq = 1;
  /** A record was given up half-way: its line must be ended with the cancel mark before anything else. */
  private mustCancel = false;
  /** The tail at the last timeout: no new wait until the consumer moved past it. */
  private stalledTail = -1;
  private readonly scratch = new Uint8Array(4);
  /** Bytes waiting after which a lightly sleeping consumer is woken. */
  private readonly notifyBytes: number;
  private written = 0;
  private dropped = 0;
  private waits = 0;
  private timeouts = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private waitTimeout: number,
  ) {
    const views = ringViews(buffer);
    this.header = views.header;
    this.data = views.data;
    this.capacity = views.capacity;
    this.mask = views.mask;
    this.notifyBytes = Math.max(1, this.capacity >>> 3);
    this.head = Atomics.load(this.header, HEAD) >>> 0;
    this.tail = Atomics.load(this.header, TAIL) >>> 0;
  }

  get stats(): RingWriterStats {
    return { written: this.written, dropped: this.dropped, waits: this.waits, timeouts: this.timeouts };
  }

  /** Changes how long a write may wait for room (a provisional ring waits for nobody until it is taken). */
  setWaitTimeout(milliseconds: number): void {
    this.waitTimeout = milliseconds;
  }

  /** True once the listener closed its end: nothing written now will be read. */
  get consumerClosed(): boolean {
    return Atomics.load(this.header, CONSUMER_CLOSED) !== 0;
  }

  /**
   * Writes one record (a canonical JSON line without newline) with its sequence number. Returns
   * false when the record was dropped; the listener then sees the hole in the sequence.
   */
  writeRecord(seq: number, line: string): boolean {
    if (Atomics.load(this.header, CONSUMER_CLOSED) !== 0) return this.drop(seq);
    const text = seq === this.nextSeq ? line : `${CONTROL_MARK}{"type":"seq","next":${seq}}\n${line}`;
    // A record that may take several pieces is claimed first, so that dying half-way counts it lost.
    if (text.length * 3 + 1 > this.capacity >>> 2) this.seqHigh = writeLastSeq(this.header, seq, this.seqHigh);
    if (!this.writeText(text)) return this.drop(seq);
    this.nextSeq = seq + 1;
    this.written += 1;
    return true;
  }

  /**
   * Counts a dropped record and publishes its number: records written carry theirs in the ring,
   * so the header only needs the last one that did not make it (the listener compares both).
   */
  private drop(seq: number): false {
    this.seqHigh = writeLastSeq(this.header, seq, this.seqHigh);
    this.dropped += 1;
    return false;
  }

  /** Writes one control frame (hello, flush, bye). Returns false when it could not be written. */
  writeControl(frame: object): boolean {
    if (Atomics.load(this.header, CONSUMER_CLOSED) !== 0) return false;
    const written = this.writeText(CONTROL_MARK + JSON.stringify(frame));
    if (written) this.publish(true);
    return written;
  }

  /** Marks the producer's end closed and wakes the consumer. */
  close(): void {
    Atomics.store(this.header, PRODUCER_CLOSED, 1);
    Atomics.store(this.header, CONSUMER_SLEEPING, 0);
    Atomics.notify(this.header, HEAD);
  }

  /** Writes `text` and a newline; true when all of it is in the ring and published. */
  private writeText(text: string): boolean {
    if (this.mustCancel) {
      text = `${CANCEL_MARK}\n${text}`;
    }
    const worstCase = text.length * 3 + 1;
    let free = this.capacity - ((this.head - this.tail) >>> 0);
    if (free < worstCase) {
      this.tail = Atomics.load(this.header, TAIL) >>> 0;
      free = this.capacity - ((this.head - this.tail) >>> 0);
    }
    const index = this.head & this.mask;
    if (free >= worstCase && index + worstCase <= this.capacity) {
      // The common case: it fits before the end of the ring (encodeInto beats a hand-written loop
      // several times over, allocation of the view included).
      const data = this.data;
      const at = index + encoder.encodeInto(text, data.subarray(index)).written;
      data[at] = NEWLINE;
      this.head = (this.head + (at - index) + 1) >>> 0;
      this.mustCancel = false;
      this.publish(false);
      return true;
    }
    return this.writePieces(`${text}\n`);
  }

  /** Writes across the end of the ring and in several pieces, waiting for room as needed. */
  private writePieces(text: string): boolean {
    let offset = 0;
    let published = false;
    while (offset < text.length) {
      let free = this.freeBytes();
      if (free === 0) {
        if (!this.waitForRoom()) return this.giveUp(published);
        free = this.freeBytes();
      }
      const index = this.head & this.mask;
      const contiguous = Math.min(free, this.capacity - index);
      const result = encoder.encodeInto(offset === 0 ? text : text.substring(offset), this.data.subarray(index, index + contiguous));
      if (result.read > 0) {
        offset += result.read;
        this.head = (this.head + result.written) >>> 0;
      } else {
        // One character does not fit before the end: write its bytes across the wrap.
        const code = text.codePointAt(offset) as number;
        const units = code > 0xffff ? 2 : 1;
        const bytes = encoder.encodeInto(text.substring(offset, offset + units), this.scratch).written;
        if (free < bytes) {
          if (!this.waitForRoom(bytes)) return this.giveUp(published);
          continue;
        }
        for (let byte = 0; byte < bytes; byte++) this.data[(this.head + byte) & this.mask] = this.scratch[byte] as number;
        this.head = (this.head + bytes) >>> 0;
        offset += units;
      }
      if (this.mustCancel) this.mustCancel = false; // the cancel mark went out with the first piece
      published = true;
      this.publish(true);
    }
    return true;
  }

  private giveUp(published: boolean): boolean {
    if (published) this.mustCancel = true;
    return false;
  }

  private freeBytes(): number {
    this.tail = Atomics.load(this.header, TAIL) >>> 0;
    return this.capacity - ((this.head - this.tail) >>> 0);
  }

  /** Waits until at least `needed` bytes are free; false after the timeout or when the listener is gone. */
  private waitForRoom(needed = 1): boolean {
    if (Atomics.load(this.header, CONSUMER_CLOSED) !== 0) return false;
    if (this.stalledTail === this.tail) return false;
    this.stalledTail = -1;
    this.waits += 1;
    this.publish(true);
    const deadline = Date.now() + this.waitTimeout;
    Atomics.store(this.header, PRODUCER_WAITING, 1);
    try {
      for (;;) {
        if (this.freeBytes() >= needed) return true;
        if (Atomics.load(this.header, CONSUMER_CLOSED) !== 0) return false;
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          this.timeouts += 1;
          this.stalledTail = this.tail;
          return false;
        }
        try {
          Atomics.wait(this.header, TAIL, this.tail | 0, remaining);
        } catch {
          // This thread may not block (a browser's main thread): drop instead of waiting.
          this.stalledTail = this.tail;
          return false;
        }
      }
    } finally {
      Atomics.store(this.header, PRODUCER_WAITING, 0);
    }
  }

  /**
   * Publishes the head. A consumer in deep sleep is woken at once; one in light sleep (it looks
   * again within a few milliseconds anyway) only when `urgent` or once a good part of the ring
   * waits, so a busy producer does not pay for a wake-up per record.
   */
  private publish(urgent: boolean): void {
    Atomics.store(this.header, HEAD, this.head | 0);
    const sleeping = Atomics.load(this.header, CONSUMER_SLEEPING);
    if (sleeping === SLEEP_NONE) return;
    if (sleeping === SLEEP_LIGHT && !urgent && (this.head - this.tail) >>> 0 < this.notifyBytes) return;
    if (Atomics.compareExchange(this.header, CONSUMER_SLEEPING, sleeping, SLEEP_NONE) === sleeping) Atomics.notify(this.header, HEAD);
  }
}
