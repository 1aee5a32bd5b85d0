import { newTextDecoder } from '../internal/host.ts';

const decoder = newTextDecoder();

/**
 * Records' canonical lines as UTF-8 bytes in one array, each ending in a newline and following the
 * one before it, as a shared-memory ring hands them over: line `i` is `bytes[start(i)] …
 * bytes[end(i) - 1]`, and `bytes[end(i)]` is its newline. The listener passes these bytes on to sinks that write bytes without ever decoding
 * them. A block lives in memory only: it is how an in-process endpoint delivers a batch, never what
 * a byte channel (a pipe) carries.
 */
export class LineBlock {
  /** Where each line ends; the next one begins right after that newline. */
  private readonly ends: number[] = [];
  /** Index of the first carriage return at or after the last line checked, or -1 for none. */
  private nextCarriageReturn: number;

  /**
   * `bytes` must not change afterwards: entries keep views of it until the sinks wrote them. The
   * first line begins at `from`. A `previous` block of the same bytes (ending before `from`) lends
   * what it knows of carriage returns, so that the blocks of one array scan it once between them.
   */
  constructor(
    readonly bytes: Uint8Array,
    private readonly from = 0,
    previous?: LineBlock,
  ) {
    const known = previous !== undefined && previous.bytes === bytes ? previous.nextCarriageReturn : undefined;
    this.nextCarriageReturn = known !== undefined && (known < 0 || known >= from) ? known : bytes.indexOf(13, from);
  }

  /** The number of lines. */
  get length(): number {
    return this.ends.length;
  }

  /** Adds the next line, which ends at `end` (the offset of its newline). */
  add(end: number): void {
    this.ends.push(end);
  }

  /** Where line `index` begins. */
  start(index: number): number {
    return index === 0 ? this.from : (this.ends[index - 1] as number) + 1;
  }

  /** Where line `index` ends (the offset of its newline). */
  end(index: number): number {
    return this.ends[index] as number;
  }

  /**
   * True when the line from `start` to `end` (one of this block's, see {@link start} and
   * {@link end}) can be written as it is: one JSON object (`{` … `}`) without a carriage return.
   * (It holds no newline by construction.) Lines must be checked in order.
   */
  isOneJsonLine(start: number, end: number): boolean {
    const bytes = this.bytes;
    if (end - start < 2 || bytes[start] !== 123 /* { */ || bytes[end - 1] !== 125 /* } */) return false;
    if (this.nextCarriageReturn >= 0 && this.nextCarriageReturn < start) this.nextCarriageReturn = bytes.indexOf(13, start);
    return this.nextCarriageReturn < 0 || this.nextCarriageReturn >= end;
  }

  /** Line `index` decoded (invalid UTF-8 becomes U+FFFD). */
  text(index: number): string {
    return decoder.decode(this.bytes.subarray(this.start(index), this.ends[index]));
  }
}
