/**
 * The one default producer-id scheme of every adapter: `<kind>-<n>`, numbered from 1 per listener
 * and kind (`worker-1`, `worker-2`, `child-1`…), so ids are short, readable and unique per listener.
 */
const counters = new WeakMap<object, Map<string, number>>();

/**
 * The next default producer id of `kind` for `listener` (any object that stands for the listener):
 * `worker-1`, then `worker-2`… Counted per listener and kind; an id the application chose itself
 * should not look like one of these. Throws a TypeError for an empty or non-string `kind`.
 */
export function defaultProducerId(listener: object, kind: string): string {
  if (typeof kind !== 'string' || kind === '') throw new TypeError('defaultProducerId(): kind must be a non-empty string');
  let byKind = counters.get(listener);
  if (byKind === undefined) {
    byKind = new Map();
    counters.set(listener, byKind);
  }
  const next = (byKind.get(kind) ?? 0) + 1;
  byKind.set(kind, next);
  return `${kind}-${next}`;
}
