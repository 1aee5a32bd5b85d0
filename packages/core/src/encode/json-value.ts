import { FieldNames } from './field-names.ts';
import type { ResolvedEncodeLimits } from './limits.ts';
import { quoteString } from './quote.ts';
import { OUTSIDE, stepInto } from './redact-paths.ts';
import type { PathPosition } from './redact-paths.ts';
import type { ResolvedRedaction } from './redact.ts';

export { quoteString };

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
 * | a field at one of `redact.paths` | the censor |
 * | lone surrogates | escaped as `\udXXX` (JSON.stringify's well-formed output) |
 * | U+0085, U+2028, U+2029 | escaped as `\u0085`, `\u2028`, `\u2029`, so no tool sees a line break |
 */
export function renderValue(value: unknown, limits: ResolvedEncodeLimits, redaction?: ResolvedRedaction): string {
  const renderer = new ValueRenderer(limits, redaction, new FieldNames(limits.maxStringLength, undefined));
  return renderer.render(value, 1, renderer.root);
}

/**
 * Renders an object's own enumerable fields as a JSON fragment `,"key":value,...` (empty string when
 * there are none), for appending. An Error is kept as `,"err":{…}`; any other value whose keys are
 * not its fields (a primitive, an array, a Map, a Date, an object with `toJSON`) as `,"_fields":value`.
 * This is for appending to a record that is already open. Keys listed in `reserved` are
 * written with a leading underscore so user fields can never replace the record's own.
 */
export function renderFieldsFragment(fields: unknown, limits: ResolvedEncodeLimits, reserved: ReadonlySet<string>, redaction?: ResolvedRedaction): string {
  const nested = new FieldNames(limits.maxStringLength, undefined);
  return new ValueRenderer(limits, redaction, nested, new FieldNames(limits.maxStringLength, reserved)).fieldsFragment(fields);
}

/**
 * A reusable {@link renderFieldsFragment} for one encoder: keeps one renderer instead of making one
 * per record, and the quoted field names it met (bounded, see {@link FieldNames}). A getter or
 * `toJSON` that logs while a record is being rendered gets a fresh renderer.
 */
export function createFieldsRenderer(limits: ResolvedEncodeLimits, reserved: ReadonlySet<string>, redaction?: ResolvedRedaction): (fields: unknown) => string {
  const nested = new FieldNames(limits.maxStringLength, undefined);
  const top = new FieldNames(limits.maxStringLength, reserved);
  const shared = new ValueRenderer(limits, redaction, nested, top);
  let busy = false;
  return (fields) => {
    if (busy) return new ValueRenderer(limits, redaction, nested, top).fieldsFragment(fields);
    busy = true;
    try {
      return shared.fieldsFragment(fields);
    } finally {
      busy = false;
    }
  };
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
  /** Where the redaction paths start: at the fields (undefined without paths). */
  readonly root: PathPosition;

  /**
   * @param nested the names of nested objects' fields
   * @param top the names of a record's own fields (reserved ones renamed), for {@link fieldsFragment}
   */
  constructor(
    private readonly limits: ResolvedEncodeLimits,
    private readonly redaction: ResolvedRedaction | undefined,
    private readonly nested: FieldNames,
    private readonly top: FieldNames = nested,
  ) {
    this.root = redaction?.paths === undefined ? undefined : [redaction.paths];
  }

  /** True when a field named `key` is censored. */
  private redacts(key: string): boolean {
    return this.redaction !== undefined && this.redaction.keys.has(key.toLowerCase());
  }

  render(value: unknown, depth: number, inside: PathPosition): string {
    try {
      return this.renderUnsafe(value, depth, inside) ?? 'null';
    } catch (thrown) {
      return this.thrownMarker(thrown);
    }
  }

  fieldsFragment(fields: unknown): string {
    if (fields === undefined || fields === null) return '';
    if (typeof fields !== 'object') return this.wholeFields('_fields', fields);
    try {
      // An Error or a value whose keys are not its fields (array, Map, Date, toJSON…) is kept whole.
      if (isPlainObject(fields)) return this.objectBody(fields, 1, this.top, undefined, false, this.root);
      if (isError(fields)) return this.redacts('err') ? `,"err":${(this.redaction as ResolvedRedaction).censorJson}` : this.wholeFields('err', fields);
      if (!isFieldBag(fields)) return this.wholeFields('_fields', fields);
      return this.objectBody(fields, 1, this.top, undefined, false, this.root);
    } catch (thrown) {
      return `,"_fields":${this.thrownMarker(thrown)}`;
    }
  }

  /** Fields kept whole under one `name` (`err`, `_fields`): `,"name":value`, censored when a path ends there. */
  private wholeFields(name: string, fields: unknown): string {
    const step = stepInto(this.root, name);
    return `,"${name}":${step.censored ? (this.redaction as ResolvedRedaction).censorJson : this.render(fields, 2, step.inside)}`;
  }

  /** Returns undefined for values an object omits (undefined). */
  private renderUnsafe(value: unknown, depth: number, inside: PathPosition): string | undefined {
    switch (typeof value) {
      case 'string':
        return quoteString(value, this.limits.maxStringLength);
      case 'number':
        // String(-0) is '0', as in JSON.
        return Number.isFinite(value) ? String(value) : `"${String(value)}"`;
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
        return value === null ? 'null' : this.renderObject(value as object, depth, inside);
    }
  }

  private renderObject(value: object, depth: number, inside: PathPosition): string {
    if (this.ancestors.includes(value)) return '"[Circular]"';
    if (value instanceof Date) {
      const time = value.getTime();
      return Number.isNaN(time) ? '"Invalid Date"' : `"${value.toISOString()}"`;
    }
    if (depth > this.limits.maxDepth) return Array.isArray(value) ? '"[Array]"' : '"[Object]"';
    const size = this.ancestors.length;
    this.ancestors.push(value);
    try {
      return this.renderContainer(value, depth, inside);
    } finally {
      this.ancestors.length = size;
    }
  }

  private renderContainer(value: object, depth: number, inside: PathPosition): string {
    // Fast path: a plain object without toJSON is just its fields.
    if (isPlainObject(value)) return this.objectBody(value, depth, this.nested, undefined, true, inside);
    if (Array.isArray(value)) return this.renderItems(value, value.length, depth, inside);
    if (isError(value)) return this.renderError(value, depth, inside);
    if (ArrayBuffer.isView(value)) {
      if (value instanceof DataView) return `"[DataView ${value.byteLength} bytes]"`;
      const items = value as unknown as ArrayLike<number | bigint>;
      return this.renderItems(items, items.length, depth, inside);
    }
    if (value instanceof ArrayBuffer) return `"[ArrayBuffer ${value.byteLength} bytes]"`;
    if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
      return `"[SharedArrayBuffer ${value.byteLength} bytes]"`;
    }
    if (value instanceof Map) return this.renderIterable(value.entries(), value.size, depth, true, inside);
    if (value instanceof Set) return this.renderIterable(value.values(), value.size, depth, false, inside);
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      let replaced: unknown;
      try {
        replaced = toJSON.call(value);
      } catch (thrown) {
        return this.thrownMarker(thrown);
      }
      return this.render(replaced, depth + 1, inside);
    }
    return this.objectBody(value, depth, this.nested, undefined, true, inside);
  }

  /**
   * `,"k":v,...` for the object's own enumerable string keys, or `{"k":v,...}` when `open`: names are
   * written as `names` gives them (reserved ones with a leading underscore), keys in `skipped` are
   * left out. `inside`: where the redaction paths stand at this object.
   */
  private objectBody(value: object, depth: number, names: FieldNames, skipped: ReadonlySet<string> | undefined, open: boolean, inside: PathPosition): string {
    const keys = Object.keys(value);
    const limit = Math.min(keys.length, this.limits.maxItems);
    let out = open ? '{' : '';
    let first = open;
    for (let index = 0; index < limit; index++) {
      const key = keys[index] as string;
      if (skipped !== undefined && skipped.has(key)) continue;
      // A name in the cache is one whose value is written wherever no path censors it: no key check needed.
      let prefix = names.cached(key);
      const step = stepInto(inside, key);
      let rendered: string | undefined;
      if (step.censored || (prefix === undefined && this.redacts(key))) {
        prefix ??= names.prefix(key);
        rendered = (this.redaction as ResolvedRedaction).censorJson;
      } else {
        try {
          rendered = this.renderUnsafe((value as Record<string, unknown>)[key], depth + 1, step.inside);
        } catch (thrown) {
          rendered = this.thrownMarker(thrown);
        }
        if (rendered === undefined) continue;
        prefix ??= names.remember(key);
      }
      if (first) {
        out += prefix.slice(1);
        first = false;
      } else {
        out += prefix;
      }
      out += rendered;
    }
    if (keys.length > limit) out += `${first ? '' : ','}"…":"[${keys.length - limit} more keys]"`;
    return open ? `${out}}` : out;
  }

  private renderItems(items: ArrayLike<unknown>, length: number, depth: number, inside: PathPosition): string {
    const limit = Math.min(length, this.limits.maxItems);
    const parts: string[] = [];
    for (let index = 0; index < limit; index++) {
      const step = stepInto(inside, index);
      if (step.censored) {
        parts.push((this.redaction as ResolvedRedaction).censorJson);
        continue;
      }
      let item: unknown;
      try {
        item = items[index];
      } catch (thrown) {
        parts.push(this.thrownMarker(thrown));
        continue;
      }
      parts.push(this.render(item, depth + 1, step.inside));
    }
    if (length > limit) parts.push(`"…[${length - limit} more items]"`);
    return `[${parts.join(',')}]`;
  }

  private renderIterable(iterator: Iterator<unknown>, size: number, depth: number, pairs: boolean, inside: PathPosition): string {
    const limit = Math.min(size, this.limits.maxItems);
    const parts: string[] = [];
    for (let index = 0; index < limit; index++) {
      const step = iterator.next();
      if (step.done === true) break;
      if (pairs) {
        const [key, item] = step.value as [unknown, unknown];
        const path = typeof key === 'string' ? stepInto(inside, key) : OUTSIDE;
        const censored = path.censored || (typeof key === 'string' && this.redacts(key));
        parts.push(
          `[${this.render(key, depth + 1, undefined)},${censored ? (this.redaction as ResolvedRedaction).censorJson : this.render(item, depth + 1, path.inside)}]`,
        );
      } else {
        const path = stepInto(inside, index);
        parts.push(path.censored ? (this.redaction as ResolvedRedaction).censorJson : this.render(step.value, depth + 1, path.inside));
      }
    }
    if (size > limit) parts.push(`"…[${size - limit} more items]"`);
    return `[${parts.join(',')}]`;
  }

  private renderError(error: Error, depth: number, inside: PathPosition): string {
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
    let out = '{';
    for (const [key, item] of Object.entries(fields)) {
      const path = stepInto(inside, key);
      const rendered = path.censored || this.redacts(key) ? (this.redaction as ResolvedRedaction).censorJson : this.render(item, depth + 1, path.inside);
      out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${rendered}`;
    }
    // name, message and stack are always there, so the error's own fields follow a comma.
    return `${out}${this.objectBody(error, depth, this.nested, ERROR_FIELDS, false, inside)}}`;
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
