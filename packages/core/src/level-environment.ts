import { readEnvironment, reportToConsole } from './internal/host.ts';
import { parseThreshold, thresholdFromName, thresholdNames } from './levels.ts';
import type { Threshold } from './levels.ts';

/**
 * A logger's threshold when its options name none: from the environment, read through the host
 * module the same way on Node, Deno and Bun.
 *
 * Precedence: the explicit option > `TRIBUTARY_LEVEL` > `LOG_LEVEL` > `'info'`. Names are
 * case-insensitive (`INFO`, `Warning` → `warn`, `silent`). A variable holding an unknown name is
 * ignored with one warning line on the console (once per variable and value) and the next source
 * applies: a deployment's typo must not stop the application, and a log call never throws. An
 * explicit option with an unknown name is a programming error and throws at configuration time.
 * On Deno without `--allow-env` the variables are not read (and no permission prompt is shown).
 */

/** The variables read, strongest first. */
export const LEVEL_VARIABLES = ['TRIBUTARY_LEVEL', 'LOG_LEVEL'] as const;

/** The threshold when neither an option nor the environment names one. */
export const DEFAULT_THRESHOLD: Threshold = 'info';

const warned = new Set<string>();

/**
 * The threshold of a new logger: `explicit` when given (checked, throws a clear error when it is
 * not a level), else the environment's, else `'info'`. `what` names the option in the error.
 */
export function resolveLoggerLevel(explicit: unknown, what: string): Threshold {
  if (explicit !== undefined) return parseThreshold(explicit, what);
  return environmentThreshold() ?? DEFAULT_THRESHOLD;
}

/** The threshold `TRIBUTARY_LEVEL` or `LOG_LEVEL` names, or undefined when neither names a valid one. */
export function environmentThreshold(): Threshold | undefined {
  for (const variable of LEVEL_VARIABLES) {
    const raw = readEnvironment(variable);
    if (raw === undefined || raw.trim() === '') continue;
    const threshold = thresholdFromName(raw.trim());
    if (threshold !== undefined) return threshold;
    const key = `${variable}=${raw}`;
    if (!warned.has(key)) {
      warned.add(key);
      reportToConsole(`tributary: ignoring ${variable}=${JSON.stringify(raw)}: not a level; use one of ${thresholdNames()} (in any case)`);
    }
  }
  return undefined;
}
