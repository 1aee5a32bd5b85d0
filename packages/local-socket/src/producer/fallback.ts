import { writeSync } from 'node:fs';

/** Where records go that no collector took when the logger closed. */
export type LocalFallback = 'stderr' | 'none' | ((lines: readonly string[]) => void);

/**
 * Writes records that reached no collector to this process's stderr as JSON lines, synchronously
 * (it runs at exit) and best effort: a stderr that is gone or stays full is given up on quietly.
 */
function linesToStderr(lines: readonly string[]): void {
  if (lines.length === 0) return;
  const bytes = new TextEncoder().encode(`${lines.join('\n')}\n`);
  let written = 0;
  for (let tries = 0; written < bytes.length && tries < 1_000; tries++) {
    try {
      written += writeSync(2, bytes, written, bytes.length - written);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EAGAIN') return;
    }
  }
}

/** Checks the `fallback` option at configuration time. */
export function resolveFallback(where: string, fallback: unknown): ((lines: readonly string[]) => void) | undefined {
  if (fallback === undefined || fallback === 'stderr') return linesToStderr;
  if (fallback === 'none') return undefined;
  if (typeof fallback === 'function') return fallback as (lines: readonly string[]) => void;
  throw new TypeError(`${where}: fallback must be 'stderr', 'none' or a function; got ${JSON.stringify(fallback)}`);
}
