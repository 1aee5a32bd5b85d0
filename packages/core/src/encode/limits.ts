/** Limits that keep one record bounded in size and depth. */
export interface EncodeLimits {
  /**
   * Strings longer than this many UTF-16 code units are cut and end with a visible marker
   * `…[truncated N chars]`. Default: 1,048,576 (1 Mi).
   */
  readonly maxStringLength?: number;
  /**
   * Objects and arrays nested deeper than this are rendered as `"[Object]"` / `"[Array]"`. The record's
   * own fields are depth 1. Default: 10.
   */
  readonly maxDepth?: number;
  /**
   * Arrays, Sets, Maps and typed arrays keep this many items; the rest is summarised as one
   * `"…[N more items]"` element. Objects keep this many keys, then `"…": "[N more keys]"`. Default: 1,000.
   */
  readonly maxItems?: number;
}

/** Limits with every default filled in. */
export interface ResolvedEncodeLimits {
  readonly maxStringLength: number;
  readonly maxDepth: number;
  readonly maxItems: number;
}

/** The defaults documented on {@link EncodeLimits}. */
export const DEFAULT_ENCODE_LIMITS: ResolvedEncodeLimits = Object.freeze({
  maxStringLength: 1_048_576,
  maxDepth: 10,
  maxItems: 1_000,
});

/** Fills in defaults and checks values; throws a clear error at configuration time. */
export function resolveEncodeLimits(limits: EncodeLimits | undefined): ResolvedEncodeLimits {
  const resolved = { ...DEFAULT_ENCODE_LIMITS, ...stripUndefined(limits ?? {}) };
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new RangeError(`limits.${key} must be a positive integer; got ${String(value)}`);
    }
  }
  return Object.freeze(resolved);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
