import { runtime, runtimeDescription } from '../internal/host.ts';
import type { RuntimeKey } from '../internal/host.ts';

/** The error an adapter throws on a runtime it does not run on. `name` is `TributaryWrongRuntimeError`. */
export interface WrongRuntimeError extends Error {
  readonly code: 'WRONG_RUNTIME';
}

const RUNTIME_NAMES: Readonly<Record<RuntimeKey, string>> = { node: 'Node.js', deno: 'Deno', bun: 'Bun' };

/** A {@link WrongRuntimeError} with `message`. */
export function wrongRuntimeError(message: string): WrongRuntimeError {
  const error = new Error(message) as Error & { code: 'WRONG_RUNTIME' };
  error.name = 'TributaryWrongRuntimeError';
  error.code = 'WRONG_RUNTIME';
  return error;
}

/**
 * Throws a {@link WrongRuntimeError} unless this is the `wanted` runtime:
 * `<where> needs <Wanted>, but this is <this runtime and its version>. <advice>`.
 */
export function requireRuntime(wanted: RuntimeKey, where: string, advice: string): void {
  if (runtime === wanted) return;
  throw wrongRuntimeError(`${where} needs ${RUNTIME_NAMES[wanted]}, but this is ${runtimeDescription()}. ${advice}`);
}
