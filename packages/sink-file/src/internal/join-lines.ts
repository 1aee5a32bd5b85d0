import type { Formatter, LogEntry } from '@tributary/core';
import { jsonLinesFormatter } from '@tributary/core';
import { joinBatch } from '@tributary/core/sink';

/**
 * A batch as lines, each ending in a newline. Without a formatter (or with the JSON-lines one) the
 * canonical lines as core's `joinBatch` gives them: records from a worker's ring as the bytes the
 * worker encoded (neither decoded nor re-encoded), other records as text. With another formatter,
 * its text.
 */
export function joinLines(batch: readonly LogEntry[], format: Formatter | undefined): string | Uint8Array {
  if (format === undefined || format === jsonLinesFormatter) return joinBatch(batch);
  let text = '';
  for (const entry of batch) text += `${format(entry)}\n`;
  return text;
}
