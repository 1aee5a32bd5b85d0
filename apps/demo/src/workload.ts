import type { Logger } from '@tributary/core';

/**
 * What every demo producer logs: `records` records with a running index and a small payload, some
 * with text that would break naive line-based logs (newlines, quotes, non-ASCII).
 */
export function logWorkload(logger: Logger, first: number, last: number): void {
  for (let index = first; index <= last; index++) {
    if (index % 1000 === 0) logger.warn('checkpoint', { index, note: 'multi\nline "quoted" ünïcødé' });
    else logger.info('work item', { index, user: { id: index % 97, name: 'demo' }, ok: true });
  }
}
