import { readEnvironment } from '../internal/host.ts';

/** Reads one environment variable; undefined when it is not set (or may not be read). */
export type EnvironmentReader = (name: string) => string | undefined;

/**
 * Whether output to a destination should carry ANSI colours when the user asked for `'auto'`:
 * `FORCE_COLOR` set to `''`, `1`, `2`, `3` or `true` turns them on and any other value of it turns
 * them off (Node's rule, which also lets it win over `NO_COLOR`); otherwise a non-empty `NO_COLOR`
 * turns them off (no-color.org); otherwise they are on for a terminal whose `TERM` is not `dumb`.
 * `env` defaults to the process's environment (on Deno without `--allow-env`, every variable counts
 * as unset).
 */
export function autoColors(isTTY: boolean, env: EnvironmentReader = readEnvironment): boolean {
  const force = env('FORCE_COLOR');
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  const noColor = env('NO_COLOR');
  if (noColor !== undefined && noColor !== '') return false;
  return isTTY && env('TERM') !== 'dumb';
}
