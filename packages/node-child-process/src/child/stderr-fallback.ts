import { writeSync } from 'node:fs';

/**
 * Writes records the parent could not take to the child's stderr, one JSON line each, synchronously
 * and best effort: a stderr that is gone too (EPIPE) or full is given up on without an error, so a
 * child whose parent died neither hangs nor crashes.
 */
export function writeToStderr(lines: readonly string[]): void {
  if (lines.length === 0) return;
  const bytes = Buffer.from(`${lines.join('\n')}\n`);
  let offset = 0;
  let attemptsLeft = 100;
  while (offset < bytes.length && attemptsLeft-- > 0) {
    try {
      offset += writeSync(2, bytes, offset, bytes.length - offset);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EAGAIN') return;
    }
  }
}
