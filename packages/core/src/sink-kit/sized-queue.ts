/** An item a {@link SizedQueue} holds: anything that knows its size in bytes. */
export interface Sized {
  /** The item's size in bytes, as the sink counts them. */
  readonly bytes: number;
}

/**
 * A first-in, first-out queue for what a sink holds before it sends it (records, frames): it counts
 * its items and their bytes, takes from the front in O(1) per item, and compacts its storage as it
 * goes, so a long-lived sink does not keep taken items alive.
 */
export class SizedQueue<T extends Sized> {
  private items: T[] = [];
  private head = 0;
  private byteCount = 0;

  /** How many items it holds. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The sum of the held items' `bytes`. */
  get bytes(): number {
    return this.byteCount;
  }

  /** Adds an item at the back. */
  push(item: T): void {
    this.items.push(item);
    this.byteCount += item.bytes;
  }

  /** Puts items back in front, in their order (for example a batch that could not be sent). */
  unshift(items: readonly T[]): void {
    if (items.length === 0) return;
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
    for (const item of items) this.byteCount += item.bytes;
  }

  /**
   * Takes items from the front while `accept(item, taken)` says yes (`taken`: how many this call
   * took so far). `accept` sees every item it is offered, the first one too, but the first is taken
   * whatever it says, so a large item never blocks the queue. Returns them, oldest first.
   */
  takeWhile(accept: (item: T, taken: number) => boolean): T[] {
    const taken: T[] = [];
    while (this.head < this.items.length) {
      const item = this.items[this.head] as T;
      if (!accept(item, taken.length) && taken.length > 0) break;
      taken.push(item);
      this.byteCount -= item.bytes;
      this.head += 1;
    }
    this.compact();
    return taken;
  }

  /** Removes items from the back until it holds at most `maxItems` and `maxBytes`; returns how many. */
  trimTo(maxItems: number, maxBytes: number): number {
    let removed = 0;
    while (this.length > 0 && (this.length > maxItems || this.byteCount > maxBytes)) {
      const item = this.items.pop() as T;
      this.byteCount -= item.bytes;
      removed += 1;
    }
    this.compact();
    return removed;
  }

  /** Empties the queue; returns what it held, oldest first. */
  takeAll(): T[] {
    const items = this.items.slice(this.head);
    this.clear();
    return items;
  }

  /** Empties the queue; returns how many items it held. */
  clear(): number {
    const count = this.length;
    this.items = [];
    this.head = 0;
    this.byteCount = 0;
    return count;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
