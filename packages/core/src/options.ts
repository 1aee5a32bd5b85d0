/**
 * Option validators for sinks and the queue: one set, one message format,
 * `<where>: <key> must be <what>; got <value shown>` — a TypeError for a value of the wrong type, a
 * RangeError for one out of range. Each returns the value, or `default` when the value is undefined.
 */

/** Bounds of a numeric option and its default. */
export interface NumberBounds<D extends number | undefined = number> {
  /** Smallest allowed value (inclusive). Default: no lower bound. */
  readonly min?: number;
  /** Largest allowed value (inclusive). Default: no upper bound. */
  readonly max?: number;
  /** The value used when the option is undefined. */
  readonly default: D;
}

/** A value as the error message shows it: strings quoted, long values cut. */
function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'function') text = 'a function';
  else if (typeof value === 'bigint') text = `${value}n`;
  else if (Array.isArray(value)) text = 'an array';
  else if (value !== null && typeof value === 'object') text = 'an object';
  else text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(where: string, key: string, what: string, value: unknown, range: boolean): never {
  const message = `${where}: ${key} must be ${what}; got ${show(value)}`;
  throw range ? new RangeError(message) : new TypeError(message);
}

function describeBounds(kind: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${kind} from ${min} to ${max}`;
  if (min !== undefined) return `${kind} ≥ ${min}`;
  if (max !== undefined) return `${kind} ≤ ${max}`;
  return kind;
}

function checkNumber<D extends number | undefined>(where: string, key: string, value: unknown, bounds: NumberBounds<D>, integer: boolean): number | D {
  if (value === undefined) return bounds.default;
  const kind = integer ? 'an integer' : 'a number';
  const what = describeBounds(kind, bounds.min, bounds.max);
  if (typeof value !== 'number') fail(where, key, what, value, false);
  if (integer ? !Number.isSafeInteger(value) : Number.isNaN(value)) fail(where, key, what, value, true);
  if ((bounds.min !== undefined && value < bounds.min) || (bounds.max !== undefined && value > bounds.max)) fail(where, key, what, value, true);
  return value;
}

/** A safe integer within `min`/`max`, or `default` when undefined. */
export function integerOption<D extends number | undefined>(where: string, key: string, value: unknown, bounds: NumberBounds<D>): number | D {
  return checkNumber(where, key, value, bounds, true);
}

/** A number (not NaN) within `min`/`max`, or `default` when undefined. */
export function numberOption<D extends number | undefined>(where: string, key: string, value: unknown, bounds: NumberBounds<D>): number | D {
  return checkNumber(where, key, value, bounds, false);
}

/** `true` or `false`, or `fallback` when undefined. */
export function booleanOption(where: string, key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(where, key, 'true or false', value, false);
  return value;
}

/** A string (non-empty unless `allowEmpty`), or `fallback` when undefined. */
export function stringOption<D extends string | undefined>(where: string, key: string, value: unknown, fallback: D, allowEmpty = false): string | D {
  if (value === undefined) return fallback;
  const what = allowEmpty ? 'a string' : 'a non-empty string';
  if (typeof value !== 'string') fail(where, key, what, value, false);
  if (!allowEmpty && value.length === 0) fail(where, key, what, value, true);
  return value;
}

/** One of `choices`, or `fallback` when undefined. */
export function oneOfOption<T extends string | number | boolean, D extends T | undefined>(
  where: string,
  key: string,
  value: unknown,
  choices: readonly T[],
  fallback: D,
): T | D {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) {
    const what = `one of ${choices.map((choice) => show(choice)).join(', ')}`;
    const sameType = choices.some((choice) => typeof choice === typeof value);
    fail(where, key, what, value, sameType);
  }
  return value as T;
}

/** A function, or `fallback` when undefined. */
export function functionOption<F extends (...args: never[]) => unknown, D extends F | undefined>(
  where: string,
  key: string,
  value: unknown,
  fallback: D,
): F | D {
  if (value === undefined) return fallback;
  if (typeof value !== 'function') fail(where, key, 'a function', value, false);
  return value as F;
}

/** A plain object (not null, not an array), or `fallback` when undefined. */
export function objectOption<O extends object, D extends O | undefined>(where: string, key: string, value: unknown, fallback: D): O | D {
  if (value === undefined) return fallback;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(where, key, 'an object', value, false);
  return value as O;
}
