/** The environment variables that decide colours, as the sink reads them. */
export type ColorEnvironment = (name: string) => string | undefined;

/**
 * Whether `colors: 'auto'` means colours: `FORCE_COLOR` set to `''`, `1`, `2`, `3` or `true` turns
 * them on and any other value of it turns them off (Node's rule, which also lets it win over
 * `NO_COLOR`); otherwise a non-empty `NO_COLOR` turns them off (no-color.org); otherwise they are on
 * for a terminal whose `TERM` is not `dumb`.
 */
export function autoColors(env: ColorEnvironment, isTTY: boolean): boolean {
  const force = env('FORCE_COLOR');
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force);
  const noColor = env('NO_COLOR');
  if (noColor !== undefined && noColor !== '') return false;
  return isTTY && env('TERM') !== 'dumb';
}

interface ProcessWithEnv {
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads the process environment; a variable that cannot be read (Deno without `--allow-env`) counts as unset. */
export function processEnvironment(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: ProcessWithEnv }).process?.env?.[name];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
