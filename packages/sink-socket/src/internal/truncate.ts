import { utf8Length } from '@tributary/core/sink';
import type { LogRecord } from '@tributary/core/sink';

/** Ends every string that was cut to fit a size limit. */
export const TRUNCATION_MARK = '…[truncated]';

const CORE_KEYS = ['time', 'level', 'msg', 'logger', 'producer', 'seq', 'pid'] as const;

/**
 * A record's JSON line, made to fit in `budget` UTF-8 bytes. A line that fits is returned as it is.
 * A line that does not is rewritten as a smaller valid JSON record that keeps the core fields
 * (time, level, logger, producer, seq, pid), the start of `msg`, and a `truncated` object with the
 * original size and the start of the user's fields as JSON text; every cut string ends with
 * {@link TRUNCATION_MARK}. If even that cannot fit, the line itself is cut and marked (no longer JSON).
 */
export function fitLine(line: string, record: LogRecord, budget: number): { readonly line: string; readonly truncated: boolean } {
  if (line.length * 3 <= budget) return { line, truncated: false };
  const bytes = utf8Length(line);
  if (bytes <= budget) return { line, truncated: false };
  return { line: shrinkRecord(line, record as Readonly<Record<string, unknown>>, bytes, budget), truncated: true };
}

function shrinkRecord(line: string, record: Readonly<Record<string, unknown>>, originalBytes: number, budget: number): string {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(record)) if (!(CORE_KEYS as readonly string[]).includes(key)) rest[key] = record[key];
  const msg = typeof record['msg'] === 'string' ? record['msg'] : String(record['msg'] ?? '');
  const fields = Object.keys(rest).length === 0 ? '' : JSON.stringify(rest);
  const build = (m: string, f: string): string =>
    JSON.stringify({
      time: record['time'],
      level: record['level'],
      msg: m,
      logger: record['logger'],
      producer: record['producer'],
      seq: record['seq'],
      pid: record['pid'],
      truncated: f === '' ? { bytes: originalBytes } : { bytes: originalBytes, fields: f },
    });
  const base = utf8Length(build('', fields === '' ? '' : 'x')) - (fields === '' ? 0 : 1);
  const available = budget - base;
  const markBytes = jsonBytes(TRUNCATION_MARK);
  if (available < 2 * markBytes + 8) return cutRaw(line, budget);
  const msgBytes = jsonBytes(msg);
  const fieldsBytes = fields === '' ? 0 : jsonBytes(fields);
  const msgShare = Math.min(msgBytes, Math.max(Math.floor(available / 2), available - fieldsBytes));
  const fieldsShare = available - msgShare;
  const result = build(cutJsonString(msg, msgShare), fields === '' ? '' : cutJsonString(fields, fieldsShare));
  return utf8Length(result) <= budget ? result : cutRaw(line, budget);
}

/** Size of a string inside JSON quotes, in UTF-8 bytes (without the quotes). */
function jsonBytes(text: string): number {
  return utf8Length(JSON.stringify(text)) - 2;
}

/** The longest start of `text` that, with the mark, fits in `max` bytes once JSON-escaped. */
function cutJsonString(text: string, max: number): string {
  if (jsonBytes(text) <= max) return text;
  const room = max - jsonBytes(TRUNCATION_MARK);
  let low = 0;
  let high = Math.min(text.length, Math.max(0, room));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonBytes(text.slice(0, middle)) <= room) low = middle;
    else high = middle - 1;
  }
  return keepWholeCharacters(text, low) + TRUNCATION_MARK;
}

/** Cuts a line to `budget` bytes with the mark at its end (used only when a record cannot be rebuilt). */
export function cutRaw(text: string, budget: number): string {
  const room = Math.max(0, budget - utf8Length(TRUNCATION_MARK));
  let low = 0;
  let high = Math.min(text.length, room);
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (utf8Length(text.slice(0, middle)) <= room) low = middle;
    else high = middle - 1;
  }
  return keepWholeCharacters(text, low) + TRUNCATION_MARK;
}

/** `text.slice(0, end)` without splitting a surrogate pair. */
function keepWholeCharacters(text: string, end: number): string {
  if (end > 0 && end < text.length) {
    const code = text.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) return text.slice(0, end - 1);
  }
  return text.slice(0, end);
}
