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
  /**
   * A record whose line would be longer than this many UTF-16 code units is written without its
   * fields: its own fields stay (the message cut to 1,024 characters), and
   * `"_truncated":"record of N characters, over limits.maxRecordLength (M): its fields were left out"`
   * takes their place, so one huge record cannot flood a sink. At least 4,096. Default: 16,777,216 (16 Mi).
   */
  readonly maxRecordLength?: number;
}

/** The least `maxRecordLength`: room for a record's own fields and the note that replaces the rest. */
export const MIN_RECORD_LENGTH = 4_096;

/** Limits with every default filled in. */
export interface ResolvedEncodeLimits {
  readonly maxStringLength: number;
  readonly maxDepth: number;
  readonly maxItems: number;
  readonly maxRecordLength: number;
}

/** The defaults documented on {@link EncodeLimits}. */
export const DEFAULT_ENCODE_LIMITS: ResolvedEncodeLimits = Object.freeze({
  maxStringLength: 1_048_576,
  maxDepth: 10,
  maxItems: 1_000,
  maxRecordLength: 16_777_216,
});

/** Fills in defaults and checks values; throws a clear error at configuration time. */
export function resolveEncodeLimits(limits: EncodeLimits | undefined): ResolvedEncodeLimits {
  const resolved = { ...DEFAULT_ENCODE_LIMITS, ...stripUndefined(limits ?? {}) };
  for (const [key, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new RangeError(`limits.${key} must be a positive integer; got ${String(value)}`);
    }
  }
  if (resolved.maxRecordLength < MIN_RECORD_LENGTH) {
    throw new RangeError(`limits.maxRecordLength must be at least ${MIN_RECORD_LENGTH}; got ${resolved.maxRecordLength}`);
  }
  return Object.freeze(resolved);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
