import { quoteString } from './json-value.ts';
import { pathTree } from './redact-paths.ts';
import type { PathNode } from './redact-paths.ts';

/**
 * Which fields to censor before a record leaves its producer, so secrets never cross the queue.
 */
export interface RedactOptions {
  /**
   * Field names whose values are replaced by `censor`, at any depth (nested objects, arrays of
   * objects, Map entries with string keys, an error's own fields, bound fields), compared without
   * regard to case: `['password', 'authorization']` also censors `Password` and `headers.Authorization`.
   * The record's own fields (`time`, `level`, `msg`, …) are never censored. Default: none.
   */
  readonly keys?: readonly string[];
  /**
   * Field paths whose values are replaced by `censor`: field names from the logged fields (and
   * bound fields) down, joined by dots, compared exactly (case matters): `'user.password'` censors
   * `{ user: { password } }` but not a top-level `password`. `*` stands for any one field name or
   * array index: `'users.*.token'`, `'*.secret'`. A path that ends at an object censors all of it.
   * Paths go through nested objects, arrays (by index), Sets (by position), Maps with string keys,
   * an error's fields and what `toJSON` returns. Default: none.
   */
  readonly paths?: readonly string[];
  /** What is written instead of a censored value (as a JSON string). Default: `'[Redacted]'`. */
  readonly censor?: string;
}

/** Redaction checked and ready for the encoder. */
export interface ResolvedRedaction {
  /** The keys, lower-cased. */
  readonly keys: ReadonlySet<string>;
  /** The paths as a tree, or undefined when there are none. */
  readonly paths: PathNode | undefined;
  /** The censor as JSON text, e.g. `"[Redacted]"`. */
  readonly censorJson: string;
}

/** The censor used when none is given. */
export const DEFAULT_CENSOR = '[Redacted]';

/** Checks redaction options at configuration time; throws a clear error on bad input. */
export function resolveRedaction(options: RedactOptions | undefined): ResolvedRedaction | undefined {
  if (options === undefined) return undefined;
  if (options === null || typeof options !== 'object') throw new TypeError('redact must be an object { keys?: string[], paths?: string[], censor?: string }');
  const { keys = [], paths = [], censor } = options;
  if (!Array.isArray(keys)) throw new TypeError('redact.keys must be an array of field names');
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'string' || key === '') throw new TypeError(`redact.keys[${index}] must be a non-empty string; got ${String(key)}`);
  }
  if (!Array.isArray(paths)) throw new TypeError('redact.paths must be an array of dot-separated field paths');
  const tree = paths.length === 0 ? undefined : pathTree(paths);
  if (censor !== undefined && typeof censor !== 'string') throw new TypeError('redact.censor must be a string');
  if (keys.length === 0 && tree === undefined) return undefined;
  return Object.freeze({
    keys: new Set(keys.map((key: string) => key.toLowerCase())),
    paths: tree,
    censorJson: quoteString(censor ?? DEFAULT_CENSOR, Number.MAX_SAFE_INTEGER),
  });
}
