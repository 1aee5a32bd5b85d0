import { flat } from './flat.ts';
import { quoteString } from './quote.ts';

/** Names longer than this are quoted on every use and never kept. */
export const MAX_CACHED_NAME_LENGTH = 64;
/** A cache holds at most this many names; it is emptied when full, so it follows the names in use. */
export const MAX_CACHED_NAMES = 512;

/**
 * The `,"name":` prefixes of the field names an encoder met before, so that the few names a program
 * logs over and over are quoted once instead of on every record. Bounded however many distinct names
 * are logged: short names only, and emptied when full. It keeps only names whose values are written
 * (the caller checks redaction before {@link FieldNames.remember}), so a hit needs no other check.
 */
export class FieldNames {
  private names: Map<string, string> | undefined;

  /**
   * @param maxStringLength the encoder's string limit (a name is quoted like any string)
   * @param reserved names written with a leading underscore (the record's own fields), if any
   */
  constructor(
    private readonly maxStringLength: number,
    private readonly reserved: ReadonlySet<string> | undefined,
  ) {}

  /** The prefix of a name remembered before, or undefined. */
  cached(name: string): string | undefined {
    return this.names === undefined ? undefined : this.names.get(name);
  }

  /** `,"name":` for a field, renamed `_name` when reserved. */
  prefix(name: string): string {
    const written = this.reserved !== undefined && this.reserved.has(name) ? `_${name}` : name;
    return `,${quoteString(written, this.maxStringLength)}:`;
  }

  /** {@link prefix}, kept for next time (flat, as it goes into many lines) when the name is short enough. */
  remember(name: string): string {
    const prefix = this.prefix(name);
    if (name.length > MAX_CACHED_NAME_LENGTH) return prefix;
    this.names ??= new Map();
    if (this.names.size >= MAX_CACHED_NAMES) this.names.clear();
    this.names.set(name, flat(prefix));
    return prefix;
  }

  /** How many names are kept (for tests). */
  get size(): number {
    return this.names === undefined ? 0 : this.names.size;
  }
}
