/**
 * OTLP `AnyValue` and `KeyValue` in the protobuf JSON mapping: a record's field values with their
 * types kept — strings, integers (as decimal strings, the JSON form of int64), doubles, booleans,
 * arrays and nested maps. Integers beyond int64 are doubles. `null` becomes the empty `AnyValue`.
 */

/** An OTLP `AnyValue` in its JSON form. */
export type AnyValue =
  | { readonly stringValue: string }
  | { readonly boolValue: boolean }
  | { readonly intValue: string }
  | { readonly doubleValue: number }
  | { readonly arrayValue: { readonly values: readonly AnyValue[] } }
  | { readonly kvlistValue: { readonly values: readonly KeyValue[] } }
  | Readonly<Record<string, never>>;

/** An OTLP `KeyValue` in its JSON form. */
export interface KeyValue {
  readonly key: string;
  readonly value: AnyValue;
}

const INT64_LIMIT = 2 ** 63;

/** The `AnyValue` of a JSON value (what a parsed record holds). */
export function toAnyValue(value: unknown): AnyValue {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'number':
      // an integer within int64 is an intValue (its exact decimal); any other number a double
      return Number.isInteger(value) && Math.abs(value) < INT64_LIMIT ? { intValue: BigInt(value).toString() } : { doubleValue: value };
    case 'bigint':
      return { intValue: value.toString() };
    case 'object':
      if (value === null) return {};
      if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
      return { kvlistValue: { values: toKeyValues(value as Readonly<Record<string, unknown>>) } };
    default:
      return {};
  }
}

/** The `KeyValue` list of an object's own fields, in their order. */
export function toKeyValues(fields: Readonly<Record<string, unknown>>): KeyValue[] {
  const values: KeyValue[] = [];
  for (const key of Object.keys(fields)) values.push({ key, value: toAnyValue(fields[key]) });
  return values;
}
