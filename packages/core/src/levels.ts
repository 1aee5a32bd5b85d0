/** The six levels, from least to most severe. */
export const LEVEL_NAMES = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** A level's name as it appears in a record's `level` field. */
export type LevelName = (typeof LEVEL_NAMES)[number];

/** A level's rank: trace 10, debug 20, info 30, warn 40, error 50, fatal 60 (the pino/bunyan numbers). */
export const LEVEL_VALUES: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
});

/** A threshold that lets nothing through. */
export const SILENT = 'silent' as const;

/** A threshold: a level name, or `'silent'` to disable everything. */
export type Threshold = LevelName | typeof SILENT;

/** True when `value` is one of the six level names. */
export function isLevelName(value: unknown): value is LevelName {
  return typeof value === 'string' && Object.hasOwn(LEVEL_VALUES, value);
}

/** The rank of a threshold; `'silent'` ranks above every level. */
export function thresholdValue(threshold: Threshold): number {
  return threshold === SILENT ? Number.POSITIVE_INFINITY : LEVEL_VALUES[threshold];
}

/** Other names accepted for a level, lower-cased: `warning` is `warn`. */
const LEVEL_ALIASES: Readonly<Record<string, LevelName>> = Object.freeze({ warning: 'warn' });

/**
 * A threshold from a name in any case (`INFO`, `Warning` → `warn`, `SILENT`), or undefined for a
 * name that is not a level. Never throws.
 */
export function thresholdFromName(value: unknown): Threshold | undefined {
  if (typeof value !== 'string') return undefined;
  if (value === SILENT || isLevelName(value)) return value;
  const lower = value.toLowerCase();
  if (lower === SILENT || isLevelName(lower)) return lower;
  return Object.hasOwn(LEVEL_ALIASES, lower) ? LEVEL_ALIASES[lower] : undefined;
}

/** The accepted names as an error message lists them: `'trace', 'debug', …, 'silent'`. */
export function thresholdNames(): string {
  return [...LEVEL_NAMES, SILENT].map((n) => `'${n}'`).join(', ');
}

/**
 * Checks a threshold given in configuration and returns it, or throws a clear error. Names are
 * case-insensitive and `warning` means `warn`. Called at configuration time only, never from a log call.
 */
export function parseThreshold(value: unknown, what: string): Threshold {
  const threshold = thresholdFromName(value);
  if (threshold !== undefined) return threshold;
  throw new TypeError(`${what} must be one of ${thresholdNames()} (in any case); got ${describeValue(value)}`);
}

/** A short description of a configuration value for error messages. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `${typeof value} ${String(value)}`;
}
