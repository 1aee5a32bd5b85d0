/** When to try a request again: the collector's `Retry-After`, else exponential backoff with jitter. */

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP date.
 * Undefined when there is none or it does not parse.
 */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The wait before retry number `retry` (1 for the first): `initialMs` doubled each time up to
 * `maxMs`, then a random point in its upper half, so that many senders do not retry in step.
 */
export function backoffMs(retry: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(retry - 1, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}
