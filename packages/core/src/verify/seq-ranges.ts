/** A closed range of sequence numbers, `from` ≤ `to`. */
export interface SeqRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The sequence numbers seen so far, as sorted disjoint ranges. A producer's records mostly arrive in
 * order, so this stays a handful of ranges however many records there are (memory grows with the
 * holes and reorderings, not with the records).
 */
export class SeqRanges {
  private readonly ranges: { from: number; to: number }[] = [];
  private total = 0;

  /** How many distinct numbers were added. */
  get size(): number {
    return this.total;
  }

  /** Adds `seq`; false when it was there already. */
  add(seq: number): boolean {
    const ranges = this.ranges;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && seq === last.to + 1) {
      last.to = seq; // the common case: the next number
      this.total += 1;
      return true;
    }
    // The first range whose end is at or after seq - 1 (it may take seq, or seq comes before it).
    let low = 0;
    let high = ranges.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((ranges[middle] as { to: number }).to < seq - 1) low = middle + 1;
      else high = middle;
    }
    const at = ranges[low];
    if (at !== undefined && at.from <= seq && seq <= at.to) return false;
    this.total += 1;
    if (at === undefined || seq < at.from - 1) {
      ranges.splice(low, 0, { from: seq, to: seq });
      return true;
    }
    if (seq === at.to + 1) {
      at.to = seq;
      const next = ranges[low + 1];
      if (next !== undefined && next.from === seq + 1) {
        at.to = next.to;
        ranges.splice(low + 1, 1);
      }
    } else at.from = seq; // seq === at.from - 1 (the previous range ends before seq - 1)
    return true;
  }

  /** The numbers from 1 to `upTo` that were not added, as ranges in order. */
  holes(upTo: number): SeqRange[] {
    const holes: SeqRange[] = [];
    let next = 1;
    for (const range of this.ranges) {
      if (range.from > upTo) break;
      if (range.from > next) holes.push({ from: next, to: range.from - 1 });
      next = range.to + 1;
    }
    if (next <= upTo) holes.push({ from: next, to: upTo });
    return holes;
  }
}

/** How many numbers of `range` fall inside any of `covers` (which may overlap each other). */
export function coveredCount(range: SeqRange, covers: readonly SeqRange[]): number {
  const clipped = covers
    .map((cover) => ({ from: Math.max(cover.from, range.from), to: Math.min(cover.to, range.to) }))
    .filter((cover) => cover.from <= cover.to)
    .sort((a, b) => a.from - b.from);
  let count = 0;
  let next = range.from;
  for (const cover of clipped) {
    const from = Math.max(cover.from, next);
    if (cover.to >= from) {
      count += cover.to - from + 1;
      next = cover.to + 1;
    }
  }
  return count;
}
