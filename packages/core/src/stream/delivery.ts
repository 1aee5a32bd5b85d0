/**
 * How a stream producer hands records to its stream: `batched` (records wait briefly and go out as
 * one frame; a sudden death loses at most the unsent batch) or `sync` (each log call writes its
 * record into the stream before it returns; a sudden death loses nothing that was logged).
 */
export type DeliveryMode = 'batched' | 'sync';

/** Checks a delivery mode at configuration time: a TypeError naming `where` unless `batched` or `sync`. */
export function checkDelivery(value: unknown, where: string): DeliveryMode {
  if (value === 'batched' || value === 'sync') return value;
  throw new TypeError(`${where} must be 'batched' or 'sync'; got ${JSON.stringify(value)}`);
}
