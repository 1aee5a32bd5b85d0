import type { Logger } from '@tributary/core';

/** Records between two progress reports of a producer. */
export const PROGRESS_EVERY = 1_000;

/**
 * What every demo producer logs: records with a running index and a small payload; every 1,000th
 * has text that breaks naive line-based logs (newlines, quotes, non-ASCII).
 */
export function logWorkload(logger: Logger, first: number, last: number): void {
  for (let index = first; index <= last; index++) {
    if (index % 1000 === 0) logger.warn('checkpoint', { index, note: 'multi\nline "quoted" ünïcødé' });
    else logger.info('work item', { index, user: { id: index % 97, name: 'demo' }, ok: true });
  }
}

/** Logs `records` records in chunks, reporting the count after each chunk (after the calls returned). */
export async function produce(logger: Logger, records: number, report: (logged: number) => void): Promise<void> {
  for (let first = 1; first <= records; first += PROGRESS_EVERY) {
    const last = Math.min(records, first + PROGRESS_EVERY - 1);
    logWorkload(logger, first, last);
    report(last);
    // Let the runtime deliver messages (progress, kill) between chunks.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
