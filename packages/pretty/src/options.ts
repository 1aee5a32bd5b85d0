import { autoColors, booleanOption, functionOption, objectOption, oneOfOption, standardOutputIsTerminal } from '@tributary/core/sink';

/** How the record's `time` is shown: a built-in style, or your own function of the ISO string. */
export type PrettyTimeStyle = 'time' | 'local' | 'iso' | ((time: string) => string);

/** Options of {@link prettyFormatter}. */
export interface PrettyFormatterOptions {
  /**
   * ANSI colours: `true`, `false`, or `'auto'`: `FORCE_COLOR` set to `''`, `1`, `2`, `3` or `true`
   * turns them on and any other value of it turns them off; else a non-empty `NO_COLOR` turns them
   * off; else they are on when the output is a terminal (`isTTY`) whose `TERM` is not `dumb`.
   * Decided once, when the formatter is made. Default: `'auto'`.
   */
  readonly colors?: 'auto' | boolean;
  /**
   * Whether the output goes to a terminal, for `colors: 'auto'`. Default: whether the process's
   * standard output is one (pass the destination's own answer when you write elsewhere).
   */
  readonly isTTY?: boolean;
  /** Environment for `colors: 'auto'` (`FORCE_COLOR`, `NO_COLOR`, `TERM`). Default: the process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * How `time` is shown. `'time'`: the UTC time of day, `23:20:50.123`; `'local'`: the local time
   * of day; `'iso'`: the record's ISO string as it is; or a function `(isoTime) => string` (its
   * result is escaped like user data). Default: `'time'`.
   */
  readonly time?: PrettyTimeStyle;
  /**
   * Your own rendering of a top-level field: `(key, value) => string | undefined`. Return the text
   * to show after `key: ` (escaped like user data), or undefined for the default rendering.
   * Default: none.
   */
  readonly renderField?: (key: string, value: unknown) => string | undefined;
}

/** The options checked, with defaults filled in. */
export interface ResolvedPrettyOptions {
  readonly colors: boolean;
  readonly time: PrettyTimeStyle;
  readonly renderField: ((key: string, value: unknown) => string | undefined) | undefined;
}

const WHERE = 'prettyFormatter';

/** Checks the options at configuration time; throws a clear error for a bad one. */
export function resolvePrettyOptions(options: PrettyFormatterOptions = {}): ResolvedPrettyOptions {
  objectOption(WHERE, 'options', options, undefined);
  const colorsOption = oneOfOption(WHERE, 'colors', options.colors, ['auto', true, false] as const, 'auto');
  const isTTYOption = booleanOption(WHERE, 'isTTY', options.isTTY, false);
  const env = objectOption<Readonly<Record<string, string | undefined>>, undefined>(WHERE, 'env', options.env, undefined);
  const time = typeof options.time === 'function' ? options.time : oneOfOption(WHERE, 'time', options.time, ['time', 'local', 'iso'] as const, 'time');
  const renderField = functionOption<(key: string, value: unknown) => string | undefined, undefined>(WHERE, 'renderField', options.renderField, undefined);
  let colors = colorsOption === true;
  if (colorsOption === 'auto') {
    const isTTY = options.isTTY === undefined ? standardOutputIsTerminal() : isTTYOption;
    colors = env === undefined ? autoColors(isTTY) : autoColors(isTTY, (name) => env[name]);
  }
  return { colors, time, renderField };
}
