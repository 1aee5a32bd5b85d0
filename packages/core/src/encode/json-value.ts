import type { ResolvedEncodeLimits } from './limits.ts';
import type { ResolvedRedaction } from './redact.ts';

/**
 * Renders any JavaScript value as JSON text on one line, and never throws. The renderings of values
 * JSON has no form for are part of the record format:
 *
 * | value | rendering |
 * | --- | --- |
 * | `undefined` | omitted from objects, `null` in arrays |
 * | `NaN`, `Infinity`, `-Infinity` | the strings `"NaN"`, `"Infinity"`, `"-Infinity"` |
 * | BigInt | its decimal digits as a string, e.g. `"12345678901234567890"` |
 * | Symbol | `"Symbol(description)"` |
 * | function | `"[Function name]"` |
 * | Date | its ISO string, or `"Invalid Date"` |
 * | Error | `{name, message, stack, cause, errors, ...own fields}` (see error.ts) |
 * | Map | an array of `[key, value]` pairs |
 * | Set | an array of its values |
 * | typed array, DataView, ArrayBuffer | an array of numbers (typed arrays), or `"[ArrayBuffer N bytes]"` |
 * | a cycle | `"[Circular]"` |
 * | deeper than `maxDepth` | `"[Object]"` or `"[Array]"` |
 * | a getter, `toJSON`, Proxy trap that throws | `"[Throws: message]"` in place of that value |
 * | a string over `maxStringLength` | cut, ending in `…[truncated N chars]` |
 * | a field named in `redact.keys` (any depth, any case) | the censor, `"[Redacted]"` by default |
 * | lone surrogates | escaped as `\udXXX` (JSON.stringify's well-formed output) |
 * | U+0085, U+2028, U+2029 | escaped as `\u0085`, `\u2028`, `\u2029`, so no tool sees a line break |
 */
export function renderValue(value: unknown, limits: ResolvedEncodeLimits, redaction?: ResolvedRedaction): string {
  return new ValueRenderer(limits, redaction).render(value, 1);
}

/**
 * Renders an object's own enumerable fields as a JSON fragment `,"key":value,...` (empty string when
 * there are none), for appending. An Error is kept as `,"err":{…}`; any other value whose keys are
 * not its fields (a primitive, an array, a Map, a Date, an object with `toJSON`) as `,"_fields":value`.
 * This is for appending to a record that is already open. Keys listed in `reserved` are
 * written with a leading underscore so user fields can never replace the record's own.
 */
export function renderFieldsFragment(
  fields: unknown,
  limits: ResolvedEncodeLimits,
  reserved: ReadonlySet<string>,
  redaction?: ResolvedRedaction,
): string {
  return new ValueRenderer(limits, redaction).fieldsFragment(fields, reserved);
}

/**
 * A reusable {@link renderFieldsFragment} for one encoder: keeps one renderer instead of making one
 * per record. A getter or `toJSON` that logs while a record is being rendered gets a fresh renderer.
 */
export function createFieldsRenderer(
  limits: ResolvedEncodeLimits,
  reserved: ReadonlySet<string>,
  redaction?: ResolvedRedaction,
): (fields: unknown) => string {
  const shared = new ValueRenderer(limits, redaction);
  let busy = false;
  return (fields) => {
    if (busy) return new ValueRenderer(limits, redaction).fieldsFragment(fields, reserved);
    busy = true;
    try {
      return shared.fieldsFragment(fields, reserved);
    } finally {
      busy = false;
    }
  };
}

const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;

function escapeSeparator(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Quotes a string as JSON, cutting it at `maxLength` with a visible marker. Never throws. */
export function quoteString(value: string, maxLength: number): string {
  if (value.length > maxLength) {
    let cut = maxLength;
    // Do not split a surrogate pair.
    const code = value.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    value = `${value.slice(0, cut)}…[truncated ${value.length - cut} chars]`;
  }
  if (isPlainAscii(value)) return `"${value}"`;
  const quoted = JSON.stringify(value);
  // JSON allows these raw, but JavaScript, Python's splitlines() and many editors treat them as line breaks.
  LINE_SEPARATORS.lastIndex = 0;
  return LINE_SEPARATORS.test(quoted) ? quoted.replace(LINE_SEPARATORS, escapeSeparator) : quoted;
}

/** Strings shorter than this are checked character by character for the quoting fast path. */
const FAST_QUOTE_MAX = 256;

/**
 * True when a string needs no JSON escaping: printable ASCII without `"` and `\\`. Most keys and
 * short values are; quoting them directly is several times cheaper than JSON.stringify.
 */
function isPlainAscii(value: string): boolean {
  if (value.length > FAST_QUOTE_MAX) return false;
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** The message of a thrown value, obtained without risking another throw. */
export function describeThrown(thrown: unknown): string {
  try {
    if (thrown instanceof Error) return String(thrown.message);
    return String(thrown);
  } catch {
    return 'unknown error';
  }
}

class ValueRenderer {
  /** The objects being rendered, outermost first (an array: depth is small, so a scan beats hashing). */
  private readonly ancestors: object[] = [];

  constructor(
    private readonly limits: ResolvedEncodeLimits,
    private readonly redaction: ResolvedRedaction | undefined,
  ) {}

  /** True when a field named `key` is censored. */
  private redacts(key: string): boolean {
    return this.redaction !== undefined && this.redaction.keys.has(key.toLowerCase());
  }

  render(value: unknown, depth: number): string {
    try {
      return this.renderUnsafe(value, depth) ?? 'null';
    } catch (thrown) {
      return this.thrownMarker(thrown);
    }
  }

  fieldsFragment(fields: unknown, reserved: ReadonlySet<string>): string {
    if (fields === undefined || fields === null) return '';
    if (typeof fields !== 'object') return `,"_fields":${this.render(fields, 2)}`;
    try {
      // An Error or a value whose keys are not its fields (array, Map, Date, toJSON…) is kept whole.
      if (isPlainObject(fields)) return this.objectBody(fields, 1, reserved, undefined);
      if (isError(fields)) return `,"err":${this.redacts('err') ? (this.redaction as ResolvedRedaction).censorJson : this.render(fields, 2)}`;
      if (!isFieldBag(fields)) return `,"_fields":${this.render(fields, 2)}`;
      return this.objectBody(fields, 1, reserved, undefined);
    } catch (thrown) {
      return `,"_fields":${this.thrownMarker(thrown)}`;
    }
  }

  /** Returns undefined for values an object omits (undefined). */
  private renderUnsafe(value: unknown, depth: number): string | undefined {
    switch (typeof value) {
      case 'string':
        return quoteString(value, this.limits.maxStringLength);
      case 'number':
        return Number.isFinite(value) ? (Object.is(value, -0) ? '0' : String(value)) : `"${String(value)}"`;
      case 'boolean':
        return value ? 'true' : 'false';
      case 'undefined':
        return undefined;
      case 'bigint':
        return `"${value.toString()}"`;
      case 'symbol':
        return quoteString(value.toString(), this.limits.maxStringLength);
      case 'function':
        return quoteString(`[Function ${value.name || 'anonymous'}]`, this.limits.maxStringLength);
      default:
        return value === null ? 'null' : this.renderObject(value as object, depth);
    }
  }

  private renderObject(value: object, depth: number): string {
    if (this.ancestors.includes(value)) return '"[Circular]"';
    if (value instanceof Date) {
      const time = value.getTime();
      return Number.isNaN(time) ? '"Invalid Date"' : `"${value.toISOString()}"`;
    }
    if (depth > this.limits.maxDepth) return Array.isArray(value) ? '"[Array]"' : '"[Object]"';
    const size = this.ancestors.length;
    this.ancestors.push(value);
    try {
      return this.renderContainer(value, depth);
    } finally {
      this.ancestors.length = size;
    }
  }

  private renderContainer(value: object, depth: number): string {
    // Fast path: a plain object without toJSON is just its fields.
    if (isPlainObject(value)) return `{${this.objectBody(value, depth, undefined, undefined).slice(1)}}`;
    if (Array.isArray(value)) return this.renderItems(value, value.length, depth);
    if (isError(value)) return this.renderError(value, depth);
    if (ArrayBuffer.isView(value)) {
      if (value instanceof DataView) return `"[DataView ${value.byteLength} bytes]"`;
      const items = value as unknown as ArrayLike<number | bigint>;
      return this.renderItems(items, items.length, depth);
    }
    if (value instanceof ArrayBuffer) return `"[ArrayBuffer ${value.byteLength} bytes]"`;
    if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
      return `"[SharedArrayBuffer ${value.byteLength} bytes]"`;
    }
    if (value instanceof Map) return this.renderIterable(value.entries(), value.size, depth, true);
    if (value instanceof Set) return this.renderIterable(value.values(), value.size, depth, false);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(value);
      } catch (thrown) {
        return this.thrownMarker(thrown);
      }
      return this.render(replaced, depth + 1);
    }
    return `{${this.objectBody(value, depth, undefined, undefined).slice(1)}}`;
  }

  /**
   * `,"k":v,...` for the object's own enumerable string keys: keys in `reserved` get a leading
   * underscore, keys in `skipped` are left out.
   */
  private objectBody(
    value: object,
    depth: number,
    reserved: ReadonlySet<string> | undefined,
    skipped: ReadonlySet<string> | undefined,
  ): string {
    const keys = Object.keys(value);
    const limit = Math.min(keys.length, this.limits.maxItems);
    let out = '';
    for (let index = 0; index < limit; index++) {
      const key = keys[index] as string;
      if (skipped !== undefined && skipped.has(key)) continue;
      let rendered: string | undefined;
      if (this.redacts(key)) {
        rendered = (this.redaction as ResolvedRedaction).censorJson;
      } else {
        try {
          rendered = this.renderUnsafe((value as Record<string, unknown>)[key], depth + 1);
        } catch (thrown) {
          rendered = this.thrownMarker(thrown);
        }
      }
      if (rendered === undefined) continue;
      const name = reserved !== undefined && reserved.has(key) ? `_${key}` : key;
      out += `,${quoteString(name, this.limits.maxStringLength)}:${rendered}`;
    }
    if (keys.length > limit) out += `,"…":"[${keys.length - limit} more keys]"`;
    return out;
  }

  private renderItems(items: ArrayLike<unknown>, length: number, depth: number): string {
    const limit = Math.min(length, this.limits.maxItems);
    const parts: string[] = [];
    for (let index = 0; index < limit; index++) {
      let item: unknown;
      try {
        item = items[index];
      } catch (thrown) {
        parts.push(this.thrownMarker(thrown));
        continue;
      }
      parts.push(this.render(item, depth + 1));
    }
    if (length > limit) parts.push(`"…[${length - limit} more items]"`);
    return `[${parts.join(',')}]`;
  }

  private renderIterable(iterator: Iterator<unknown>, size: number, depth: number, pairs: boolean): string {
    const limit = Math.min(size, this.limits.maxItems);
    const parts: string[] = [];
    for (let index = 0; index < limit; index++) {
      const step = iterator.next();
      if (step.done === true) break;
      if (pairs) {
        const [key, item] = step.value as [unknown, unknown];
        const censored = typeof key === 'string' && this.redacts(key);
        parts.push(`[${this.render(key, depth + 1)},${censored ? (this.redaction as ResolvedRedaction).censorJson : this.render(item, depth + 1)}]`);
      } else {
        parts.push(this.render(step.value, depth + 1));
      }
    }
    if (size > limit) parts.push(`"…[${size - limit} more items]"`);
    return `[${parts.join(',')}]`;
  }

  private renderError(error: Error, depth: number): string {
    const fields: Record<string, unknown> = {};
    const read = (key: string): unknown => {
      try {
        return (error as unknown as Record<string, unknown>)[key];
      } catch (thrown) {
        return `[Throws: ${describeThrown(thrown)}]`;
      }
    };
    fields['name'] = read('name');
    fields['message'] = read('message');
    fields['stack'] = read('stack');
    if ('cause' in error) fields['cause'] = read('cause');
    if (error instanceof AggregateError) fields['errors'] = read('errors');
    let out = '';
    for (const [key, item] of Object.entries(fields)) {
      const rendered = this.redacts(key) ? (this.redaction as ResolvedRedaction).censorJson : this.render(item, depth + 1);
      out += `,${JSON.stringify(key)}:${rendered}`;
    }
    const own = this.objectBody(error, depth, undefined, ERROR_FIELDS);
    return `{${(out + own).slice(1)}}`;
  }

  private thrownMarker(thrown: unknown): string {
    return quoteString(`[Throws: ${describeThrown(thrown)}]`, this.limits.maxStringLength);
  }
}

const ERROR_FIELDS: ReadonlySet<string> = new Set(['name', 'message', 'stack', 'cause', 'errors']);

/** True for an object whose own enumerable keys are its fields (a plain object or a class instance). */
function isFieldBag(value: object): boolean {
  return !(
    Array.isArray(value) ||
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer ||
    value instanceof Date ||
    value instanceof Map ||
    value instanceof Set ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

/** A plain object (prototype Object.prototype or null) without its own toJSON: just its fields. */
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype) return !Object.hasOwn(value, 'toJSON');
  return prototype === null && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

function isError(value: object): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === '[object Error]';
}
