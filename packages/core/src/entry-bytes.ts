import { isLevelName } from './levels.ts';
import type { LevelName } from './levels.ts';
import type { LineBlock } from './protocol/line-block.ts';
import type { LogEntry, LogRecord } from './record.ts';
import { levelOfBytes } from './canonical-level.ts';
import { concatBytes } from './concat-bytes.ts';
import { parseLine } from './entry.ts';
import { newTextDecoder, newTextEncoder } from './shared-memory/host-text.ts';

/**
 * An entry whose canonical line arrived as UTF-8 bytes (from a shared-memory ring). The bytes are
 * passed on as they are by {@link batchBytes}; the line is decoded only when something asks for it.
 */
export class ByteLineEntry implements LogEntry {
  private text: string | undefined;
  private parsed: LogRecord | undefined;
  private knownLevel: LevelName | undefined;

  /** The line is `block.bytes[start … end - 1]`; `block.bytes[end]` is its newline. */
  constructor(
    readonly block: LineBlock,
    readonly start: number,
    readonly end: number,
  ) {}

  get line(): string {
    if (this.text === undefined) this.text = decodeRange(this.block, this.start, this.end);
    return this.text;
  }

  get level(): LevelName {
    if (this.knownLevel === undefined) {
      const level = levelOfBytes(this.block.bytes, this.start, this.end) ?? this.record.level;
      this.knownLevel = isLevelName(level) ? level : 'info';
    }
    return this.knownLevel;
  }

  get record(): LogRecord {
    if (this.parsed === undefined) this.parsed = parseLine(this.line);
    return this.parsed;
  }
}

function decodeRange(block: LineBlock, start: number, end: number): string {
  return textDecoder.decode(block.bytes.subarray(start, end));
}

const textDecoder = newTextDecoder();
const textEncoder = newTextEncoder();

/**
 * A batch as JSON lines in UTF-8: each entry's canonical line followed by a newline, ready for one
 * write. Entries that arrived together through a shared-memory ring are handed on as the very bytes
 * they arrived in (a view, no copy); anything else is copied or encoded once into a new array.
 */
export function batchBytes(batch: readonly LogEntry[]): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (let index = 0; index < batch.length; ) {
    const entry = batch[index] as LogEntry;
    let piece: Uint8Array;
    if (entry instanceof ByteLineEntry) {
      // A run of lines that lie one after the other in one block: a view, no copy.
      const runEnd = endOfRun(batch, index);
      piece = entry.block.bytes.subarray(entry.start, (batch[runEnd - 1] as ByteLineEntry).end + 1);
      index = runEnd;
    } else {
      // A run of text lines: joined, then encoded at once.
      let text = '';
      for (; index < batch.length && !(batch[index] instanceof ByteLineEntry); index++) text += `${(batch[index] as LogEntry).line}\n`;
      piece = textEncoder.encode(text);
    }
    pieces.push(piece);
  }
  return pieces.length === 0 ? new Uint8Array(0) : concatBytes(pieces);
}

/** Whether any entry of the batch arrived as bytes (from a shared-memory ring). */
export function hasByteLines(batch: readonly LogEntry[]): boolean {
  for (const entry of batch) if (entry instanceof ByteLineEntry) return true;
  return false;
}

/**
 * The index after the run of entries from `from` (before `limit`, default the batch's end) whose
 * lines follow each other in one block of bytes; `from` itself when that entry did not arrive as bytes.
 */
export function endOfRun(batch: readonly LogEntry[], from: number, limit = batch.length): number {
  const first = batch[from];
  if (!(first instanceof ByteLineEntry)) return from;
  const block = first.block;
  let end = first.end;
  let index = from + 1;
  for (; index < limit; index++) {
    const entry = batch[index];
    if (!(entry instanceof ByteLineEntry) || entry.block !== block || entry.start !== end + 1) break;
    end = entry.end;
  }
  return index;
}

/**
 * The length of an entry's canonical line in UTF-8 bytes (without its newline); exact, without
 * encoding it. Free for a record that arrived as bytes; a line that arrived as text is measured.
 */
export function entryLineBytes(entry: LogEntry): number {
  return entry instanceof ByteLineEntry ? entry.end - entry.start : utf8Length(entry.line);
}

/** How much an entry weighs in a bounded queue: its line's length, as cheaply as it can be known. */
export function entryWeight(entry: LogEntry): number {
  return entry instanceof ByteLineEntry ? entry.end - entry.start : entry.line.length;
}

/** The UTF-8 length of a string (lone surrogates count 3 bytes, as their U+FFFD replacement). */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    if (code < 0x800) bytes += 1;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 2; // a pair: 2 units, 4 bytes
      index += 1;
    } else bytes += 2;
  }
  return bytes;
}
