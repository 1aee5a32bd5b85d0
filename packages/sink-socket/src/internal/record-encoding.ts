import { utf8Length } from '@tributary/core/sink';
import type { LogEntry, LogRecord, Spoolable } from '@tributary/core/sink';
import { priority } from '../syslog.ts';
import type { ResolvedSocketSinkOptions } from '../options.ts';
import { fitLine } from './truncate.ts';

/** One record, encoded and framed for the wire; with a spool, also its canonical line and the spool file it came from, if any. */
export interface Frame extends Spoolable {
  /** What is written: the framed message (streams) or the datagram's content (UDP). */
  readonly text: string;
  /** `text` in UTF-8 bytes. */
  readonly bytes: number;
  /** Whether the record was cut to fit the size limit. */
  readonly truncated: boolean;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** Makes the function that turns a record (its entry and parsed fields) into its frame, for the configured encoding and transport. */
export function frameEncoder(options: ResolvedSocketSinkOptions): (entry: LogEntry, record: LogRecord) => Frame {
  const datagram = options.transport === 'udp';
  const limit = datagram ? Math.min(options.maxRecordBytes, options.maxDatagramBytes) : options.maxRecordBytes;
  if (options.encoding === 'ndjson') {
    return (entry, record) => {
      const fitted = fitLine(entry.line, record, limit);
      const text = datagram ? fitted.line : `${escapeLineBreaks(fitted.line)}\n`;
      return { text, bytes: utf8Length(text), truncated: fitted.truncated };
    };
  }
  const fixedHeader = ` ${options.hostname} ${options.appName} `;
  const octetCounting = options.framing === 'octet-counting';
  return (entry, record) => {
    const fields = record as Readonly<Record<string, unknown>>;
    const time = typeof fields['time'] === 'string' && RFC3339.test(fields['time']) ? fields['time'] : new Date().toISOString();
    const pid = fields['pid'];
    const procId = typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0 ? String(pid) : '-';
    const msgId = options.msgId ?? headerValue(fields['logger'], 32);
    const header = `<${priority(options.facility, entry.level)}>1 ${time}${fixedHeader}${procId} ${msgId} - `;
    const headerBytes = utf8Length(header);
    const fitted = fitLine(entry.line, record, limit - headerBytes);
    const message = header + fitted.line;
    let text: string;
    if (datagram) text = message;
    else if (octetCounting) text = `${headerBytes + utf8Length(fitted.line)} ${message}`;
    else text = `${escapeLineBreaks(message)}\n`;
    return { text, bytes: utf8Length(text), truncated: fitted.truncated };
  };
}

/** Writes CR and LF as `\r` and `\n`, so that a message stays on one line. */
export function escapeLineBreaks(text: string): string {
  if (!text.includes('\n') && !text.includes('\r')) return text;
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** A header field from a value: printable US-ASCII only (others become `_`), at most `max` characters, `-` if empty. */
function headerValue(value: unknown, max: number): string {
  const text = typeof value === 'string' ? value.replace(/[^\x21-\x7e]/g, '_').slice(0, max) : '';
  return text === '' ? '-' : text;
}

/** The JSON lines of the frames that carry one (what a spool keeps). */
export function linesOf(frames: readonly Frame[]): string[] {
  const lines: string[] = [];
  for (const frame of frames) if (frame.line !== undefined) lines.push(frame.line);
  return lines;
}
