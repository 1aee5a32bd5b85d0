import type { Formatter } from './format/formatter.ts';
import { jsonLinesFormatter } from './format/json-lines.ts';
import type { LogEntry, LogRecord } from './record.ts';
import { batchBytes, entryLineBytes, hasByteLines } from './entry-bytes.ts';
import { newTextDecoder } from './internal/host.ts';

/**
 * What `Sink.write` and `Sink.writeSync` receive: one batch of records, in order. Iterating it
 * yields its entries. Every form is computed on first use and kept: asking twice costs nothing.
 */
export interface Batch extends Iterable<LogEntry> {
  /** Records in the batch. */
  readonly length: number;
  /** The records as entries (canonical line, level, parsed record on demand). */
  readonly entries: readonly LogEntry[];
  /**
   * UTF-8 bytes of the batch as JSON lines (each canonical line and its `"\n"`), exact, without
   * building them: free for records that arrived as bytes, measured once for the others.
   */
  readonly byteLength: number;
  /**
   * The batch as JSON lines in UTF-8. Records that arrived together from a worker's shared-memory
   * ring are handed on as the very bytes the worker wrote (a view, no copy); do not modify it.
   */
  bytes(): Uint8Array;
  /**
   * The batch as JSON lines in the form that costs least: {@link bytes} when records arrived as
   * bytes (a view of them), else {@link text}, with nothing converted. For destinations that take
   * either (a file descriptor, a socket), where a string is encoded on its way to the kernel.
   */
  jsonLines(): string | Uint8Array;
  /** The batch as JSON lines, as one string (each canonical line and its `"\n"`). */
  text(): string;
  /** Each record through `formatter`, each followed by `"\n"`; `jsonLinesFormatter` gives {@link text}. */
  format(formatter: Formatter): string;
  /** The records, parsed on demand (once), for sinks that need their structure (syslog, OTLP). */
  records(): readonly LogRecord[];
  /** The records `start` to `end - 1` as a batch of their own, sharing the same bytes. */
  slice(start?: number, end?: number): Batch;
}

/** A {@link Batch} of the given entries, in order: for tests and for sinks that re-batch. */
export function batchOf(entries: readonly LogEntry[]): Batch {
  return new EntryBatch(entries);
}

const textDecoder = newTextDecoder();

class EntryBatch implements Batch {
  private cachedByteLength = -1;
  private cachedBytes: Uint8Array | undefined;
  private cachedText: string | undefined;
  private cachedRecords: readonly LogRecord[] | undefined;

  constructor(readonly entries: readonly LogEntry[]) {}

  get length(): number {
    return this.entries.length;
  }

  get byteLength(): number {
    if (this.cachedByteLength < 0) {
      if (this.cachedBytes !== undefined) this.cachedByteLength = this.cachedBytes.length;
      else {
        let total = 0;
        for (const entry of this.entries) total += entryLineBytes(entry) + 1;
        this.cachedByteLength = total;
      }
    }
    return this.cachedByteLength;
  }

  bytes(): Uint8Array {
    this.cachedBytes ??= batchBytes(this.entries);
    return this.cachedBytes;
  }

  jsonLines(): string | Uint8Array {
    return this.cachedBytes ?? (hasByteLines(this.entries) ? this.bytes() : this.text());
  }

  text(): string {
    if (this.cachedText === undefined) {
      if (hasByteLines(this.entries)) this.cachedText = textDecoder.decode(this.bytes());
      else {
        let text = '';
        for (const entry of this.entries) text += `${entry.line}\n`;
        this.cachedText = text;
      }
    }
    return this.cachedText;
  }

  format(formatter: Formatter): string {
    if (formatter === jsonLinesFormatter) return this.text();
    let text = '';
    for (const entry of this.entries) text += `${formatter(entry)}\n`;
    return text;
  }

  records(): readonly LogRecord[] {
    this.cachedRecords ??= this.entries.map((entry) => entry.record);
    return this.cachedRecords;
  }

  slice(start?: number, end?: number): Batch {
    return new EntryBatch(this.entries.slice(start, end));
  }

  [Symbol.iterator](): Iterator<LogEntry> {
    return this.entries[Symbol.iterator]();
  }
}
