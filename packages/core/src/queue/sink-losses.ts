import type { LogEntry } from '../record.ts';

/** A `tributary.dropped` record for one sink and the losses it announces. */
export interface LossNotice {
  readonly entry: LogEntry;
  readonly dropped: number;
  readonly failed: number;
}

/** The loss notice's `reason`: how many were dropped because the queue was full, how many failed. */
export function describeLoss(dropped: number, failed: number): string {
  const parts: string[] = [];
  if (dropped > 0) parts.push(`${dropped} dropped because the sink's queue was full`);
  if (failed > 0) parts.push(`${failed} in writes that failed`);
  return parts.join('; ');
}

/** A record count a sink reported: a non-negative integer (anything else counts as 0). */
export function countOf(records: unknown): number {
  return typeof records === 'number' && Number.isSafeInteger(records) && records > 0 ? records : 0;
}
