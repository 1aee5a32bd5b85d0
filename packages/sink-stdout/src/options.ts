import { jsonLinesFormatter, textFormatter } from '@tributary/core';
import type { Formatter } from '@tributary/core';
import type { StdoutDestination } from './destination.ts';
import { stdoutDestination } from './destination.ts';
import { autoColors, processEnvironment } from './internal/colors.ts';

/** Options of {@link stdoutSink}. */
export interface StdoutSinkOptions {
  /**
   * `'json'`: the canonical JSON line as the producer encoded it, not re-encoded. `'text'`: core's
   * human-readable `textFormatter`, control characters escaped. Or your own formatter (one line per
   * record, no trailing newline). Default: `'json'`.
   */
  readonly format?: 'json' | 'text' | Formatter;
  /**
   * ANSI colours for the `'text'` format. `'auto'`: on for a terminal, off otherwise, honouring
   * `NO_COLOR` and `FORCE_COLOR`. Ignored by the other formats. Default: `'auto'`.
   */
  readonly colors?: 'auto' | boolean;
  /** Where the bytes go. Default: the process's standard output, `stdoutDestination()` (fd 1). */
  readonly destination?: StdoutDestination;
  /** The sink's name in reports and stats. Default: `'stdout'`. */
  readonly name?: string;
  /**
   * Longest time `writeSync` (the listener's exit path) waits for a full pipe to take more bytes, in
   * milliseconds, before it gives up on the batch; the clock restarts whenever bytes go out.
   * Default: 5,000.
   */
  readonly syncWriteTimeout?: number;
  /** Environment for `colors: 'auto'` (`NO_COLOR`, `FORCE_COLOR`, `TERM`). Default: the process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The options checked, with defaults filled in. */
export interface ResolvedStdoutSinkOptions {
  readonly name: string;
  readonly formatter: Formatter;
  readonly destination: StdoutDestination;
  readonly syncWriteTimeout: number;
  readonly colors: boolean;
}

/** Checks the options at configuration time; throws a clear error for a bad one. */
export function resolveStdoutSinkOptions(options: StdoutSinkOptions = {}): ResolvedStdoutSinkOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('stdoutSink: options must be an object');
  const name = options.name ?? 'stdout';
  if (typeof name !== 'string' || name === '') throw new TypeError('stdoutSink: name must be a non-empty string');
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'text' && typeof format !== 'function') {
    throw new TypeError(`stdoutSink: format must be 'json', 'text' or a formatter function; got ${describe(format)}`);
  }
  const colorsOption = options.colors ?? 'auto';
  if (colorsOption !== 'auto' && typeof colorsOption !== 'boolean') {
    throw new TypeError(`stdoutSink: colors must be 'auto', true or false; got ${describe(colorsOption)}`);
  }
  const syncWriteTimeout = options.syncWriteTimeout ?? 5_000;
  if (typeof syncWriteTimeout !== 'number' || !Number.isSafeInteger(syncWriteTimeout) || syncWriteTimeout < 0) {
    throw new RangeError(`stdoutSink: syncWriteTimeout must be an integer ≥ 0 (milliseconds); got ${describe(syncWriteTimeout)}`);
  }
  const destination = options.destination ?? stdoutDestination();
  if (destination === null || typeof destination !== 'object' || typeof destination.writeSome !== 'function') {
    throw new TypeError('stdoutSink: destination must have a writeSome(data, offset) method (see fdDestination)');
  }
  const env = options.env;
  if (env !== undefined && (env === null || typeof env !== 'object')) throw new TypeError('stdoutSink: env must be an object of strings');
  const readEnv = env === undefined ? processEnvironment : (key: string) => env[key];
  const colors = colorsOption === 'auto' ? autoColors(readEnv, destination.isTTY === true) : colorsOption;
  const formatter = format === 'json' ? jsonLinesFormatter : format === 'text' ? textFormatter({ colors }) : format;
  return { name, formatter, destination, syncWriteTimeout, colors };
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
