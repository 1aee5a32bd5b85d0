import { LEVEL_LABELS, escapeControl } from '@tributary/core/sink';
import type { Formatter, LevelName, LogEntry } from '@tributary/core/sink';
import type { PrettyFormatterOptions, PrettyTimeStyle } from './options.ts';
import { resolvePrettyOptions } from './options.ts';
import { ANSI_PALETTE, PLAIN_PALETTE } from './palette.ts';
import type { Palette } from './palette.ts';
import { appendField, inlineValue } from './render-value.ts';

/** The fields of the first line; every other field goes below it. */
const HEADER_FIELDS: ReadonlySet<string> = new Set(['time', 'level', 'msg', 'logger', 'producer', 'seq', 'pid']);
/** Where a record's fields start. */
const FIELD_INDENT = '  ';
const ISO_TIME = /^\d{4}-\d\d-\d\dT(\d\d:\d\d:\d\d(?:\.\d+)?)Z$/;

/** A pretty formatter, with the colour decision it made. */
export interface PrettyFormatter extends Formatter {
  /** Whether it writes ANSI colours (decided once, when it was made). */
  readonly colors: boolean;
}

/**
 * A formatter for reading logs as they happen: one line per record with time, level, producer and
 * logger and the message, then each field on its own line, indented; an error shows its stack as
 * real lines with its cause and `AggregateError` members nested under it. Control characters in
 * user data are escaped and every line after a record's first is indented, so a record can never
 * print a line that passes for another record or move the cursor; colours come only from here.
 *
 * `stdoutSink({ format: prettyFormatter() })`. It runs in the listener, in the thread that owns the
 * sink, so options may be functions.
 */
export function prettyFormatter(options: PrettyFormatterOptions = {}): PrettyFormatter {
  const resolved = resolvePrettyOptions(options);
  const palette = resolved.colors ? ANSI_PALETTE : PLAIN_PALETTE;
  const { time, renderField } = resolved;
  const format = (entry: LogEntry): string => {
    const record = entry.record as Readonly<Record<string, unknown>>;
    const out = [headerLine(record, entry.level, time, palette)];
    for (const key of Object.keys(record)) {
      if (HEADER_FIELDS.has(key)) continue;
      const value = record[key];
      const custom = renderField?.(key, value);
      if (custom === undefined) appendField(out, FIELD_INDENT, escapeControl(key), value, palette);
      else out.push(`${FIELD_INDENT}${palette.key(`${escapeControl(key)}:`)} ${escapeControl(String(custom))}`);
    }
    return out.join('\n');
  };
  return Object.assign(format, { colors: resolved.colors });
}

/** `23:20:50.123 INFO  [main] app.db: message`. */
function headerLine(record: Readonly<Record<string, unknown>>, level: LevelName, time: PrettyTimeStyle, palette: Palette): string {
  let line = palette.level(level, LEVEL_LABELS[level]);
  // A record from elsewhere (read by the CLI) may lack the time or the producer: they are left out.
  if (record['time'] !== undefined) line = `${palette.time(escapeControl(showTime(record['time'], time)))} ${line}`;
  if (record['producer'] !== undefined) line += ` ${palette.producer(`[${text(record['producer'])}]`)}`;
  const logger = record['logger'];
  if (logger !== undefined && logger !== '') line += ` ${palette.logger(text(logger))}:`;
  const message = record['msg'];
  if (message !== undefined && message !== '') line += ` ${text(message)}`;
  return line;
}

/** A string escaped; anything else as one line of JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? escapeControl(value) : inlineValue(value);
}

function showTime(value: unknown, style: PrettyTimeStyle): string {
  if (typeof value !== 'string') return inlineValue(value);
  if (typeof style === 'function') return String(style(value));
  if (style === 'iso') return value;
  const match = ISO_TIME.exec(value);
  if (match === null) return value;
  if (style === 'time') return match[1] as string;
  const date = new Date(value);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}
