import type { Formatter, LogEntry } from '@tributary/core';
import { jsonLinesFormatter } from '@tributary/core';

/**
 * The text of a batch, one line per entry, each ending in a newline. Without a formatter (or with
 * the JSON-lines one) the canonical line is written as it is: no parse, no re-encoding.
 */
export function joinLines(batch: readonly LogEntry[], format: Formatter | undefined): string {
  let text = '';
  if (format === undefined || format === jsonLinesFormatter) {
    for (const entry of batch) text += `${entry.line}\n`;
  } else {
    for (const entry of batch) text += `${format(entry)}\n`;
  }
  return text;
}
