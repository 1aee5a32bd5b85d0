import { isLevelName } from '@tributary/core';
import type { Formatter, LogRecord } from '@tributary/core';
import type { RecordFilter } from './record-filter.ts';

/**
 * Decides what one input line becomes: a Tributary record (a JSON object whose `level` is one of
 * the six level names) is filtered and formatted; any other line passes through unchanged.
 */
export class LinePrinter {
  constructor(
    private readonly formatter: Formatter,
    private readonly filter: RecordFilter,
  ) {}

  /** The text to print for `line` (without a newline), or undefined when a filter leaves it out. */
  print(line: string): string | undefined {
    const record = parseRecord(line);
    if (record === undefined) return line;
    if (!this.filter(record, record.level)) return undefined;
    return this.formatter({ line, level: record.level, record });
  }
}

function parseRecord(line: string): LogRecord | undefined {
  const start = line.trimStart();
  if (!start.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return isLevelName((value as { level?: unknown }).level) ? (value as LogRecord) : undefined;
}
