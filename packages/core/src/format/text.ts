import type { LevelName } from '../levels.ts';
import type { LogRecord } from '../record.ts';
import { CORE_FIELDS } from '../record.ts';
import { escapeControl } from './escape.ts';
import type { Formatter } from './formatter.ts';

/** Options of {@link textFormatter}. */
export interface TextFormatterOptions {
  /** Colour the level and dim the metadata with ANSI escapes. Default: false. */
  readonly colors?: boolean;
  /** Show `producer#seq` after the level. Default: true. */
  readonly showProducer?: boolean;
}

/** Each level's name as a human-readable formatter shows it: upper case, padded to five characters. */
export const LEVEL_LABELS: Readonly<Record<LevelName, string>> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO ',
  warn: 'WARN ',
  error: 'ERROR',
  fatal: 'FATAL',
};

const LEVEL_COLORS: Readonly<Record<LevelName, string>> = {
  trace: '\u001b[90m',
  debug: '\u001b[36m',
  info: '\u001b[32m',
  warn: '\u001b[33m',
  error: '\u001b[31m',
  fatal: '\u001b[35;1m',
};
const DIM = '\u001b[2m';
const RESET = '\u001b[0m';
const SKIPPED_FIELDS: ReadonlySet<string> = new Set(CORE_FIELDS);

/**
 * A human-readable line: `2026-11-26T23:20:50.123Z INFO  main#12 app.db: message key=value`. Every
 * piece of user data (message, logger name, field names and values) has its control characters
 * escaped, so one record can never print as two lines or move the cursor; ANSI colours, when on, come
 * only from the formatter.
 */
export function textFormatter(options: TextFormatterOptions = {}): Formatter {
  const colors = options.colors === true;
  const showProducer = options.showProducer !== false;
  return (entry) => {
    const record = entry.record;
    const level = entry.level;
    const label = colors ? `${LEVEL_COLORS[level]}${LEVEL_LABELS[level]}${RESET}` : LEVEL_LABELS[level];
    const time = colors ? `${DIM}${escapeControl(String(record.time))}${RESET}` : escapeControl(String(record.time));
    let line = `${time} ${label}`;
    if (showProducer) line += ` ${escapeControl(String(record.producer))}#${String(record.seq)}`;
    const name = String(record.logger ?? '');
    if (name !== '') line += ` ${escapeControl(name)}:`;
    line += ` ${escapeControl(String(record.msg ?? ''))}`;
    return line + renderFields(record, colors);
  };
}

function renderFields(record: LogRecord, colors: boolean): string {
  let out = '';
  for (const key of Object.keys(record)) {
    if (SKIPPED_FIELDS.has(key)) continue;
    const name = escapeControl(key);
    const value = renderFieldValue(record[key]);
    out += colors ? ` ${DIM}${name}=${RESET}${value}` : ` ${name}=${value}`;
  }
  return out;
}

function renderFieldValue(value: unknown): string {
  if (typeof value === 'string' && /^[^\s"=]+$/u.test(value)) return escapeControl(value);
  // JSON text escapes C0 controls and quotes; escapeControl then handles DEL, C1 and U+2028/9.
  return escapeControl(JSON.stringify(value) ?? 'null');
}
