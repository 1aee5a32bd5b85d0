import { jsonLinesFormatter, textFormatter } from '@tributary/core';
import type { Formatter } from '@tributary/core';
import { autoColors, functionOption, integerOption, objectOption, oneOfOption, stringOption } from '@tributary/core/sink';
import type { StdoutDestination } from './destination.ts';
import { stdoutDestination } from './destination.ts';

/** Options of {@link stdoutSink}. */
export interface StdoutSinkOptions {
  /**
   * `'json'`: the canonical JSON line as the producer encoded it, not re-encoded. `'text'`: core's
   * human-readable `textFormatter`, control characters escaped. Or a formatter (one record's text, no
   * trailing newline), such as `prettyFormatter()` from `@tributary/pretty`. Default: `'json'`.
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
  const where = 'stdoutSink';
  objectOption(where, 'options', options, undefined);
  const name = stringOption(where, 'name', options.name, 'stdout');
  const format = typeof options.format === 'function' ? options.format : oneOfOption(where, 'format', options.format, ['json', 'text'] as const, 'json');
  const colorsOption = oneOfOption(where, 'colors', options.colors, ['auto', true, false] as const, 'auto');
  const syncWriteTimeout = integerOption(where, 'syncWriteTimeout', options.syncWriteTimeout, { min: 0, default: 5_000 });
  const destination =
    objectOption<StdoutDestination, StdoutDestination | undefined>(where, 'destination', options.destination, undefined) ?? stdoutDestination();
  functionOption(where, 'destination.writeSome', destination.writeSome ?? null, undefined);
  const env = objectOption<Readonly<Record<string, string | undefined>>, undefined>(where, 'env', options.env, undefined);
  const isTTY = destination.isTTY === true;
  const colors = colorsOption === 'auto' ? (env === undefined ? autoColors(isTTY) : autoColors(isTTY, (key) => env[key])) : colorsOption;
  const formatter = format === 'json' ? jsonLinesFormatter : format === 'text' ? textFormatter({ colors }) : format;
  return { name, formatter, destination, syncWriteTimeout, colors };
}
