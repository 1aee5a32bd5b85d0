/**
 * Where this code runs. The adapter needs Deno's Web Workers and Web Locks; on another runtime it
 * fails at its first use with an error that names the right package.
 */
import { runtime, runtimeDescription } from '@tributary/core/adapter';

/** True on Deno. */
export function isDeno(): boolean {
  return runtime === 'deno';
}

/** Error thrown when the adapter is used outside Deno. `code` is `WRONG_RUNTIME`. */
export interface WrongRuntimeError extends Error {
  readonly code: 'WRONG_RUNTIME';
}

/** Throws a clear error unless this is Deno with Web Locks (Deno 1.38+). */
export function requireDeno(api: string): void {
  const runtime = runtimeDescription();
  if (!isDeno()) {
    throw wrongRuntime(
      `@tributary/deno-worker: ${api} needs Deno, but this is ${runtime}. ` + 'Use @tributary/node-worker on Node.js and @tributary/bun-worker on Bun.',
    );
  }
  const locks = (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks;
  if (locks === undefined) throw wrongRuntime(`@tributary/deno-worker: ${api} needs Web Locks (navigator.locks), which ${runtime} lacks; use Deno 2 or newer.`);
}

function wrongRuntime(message: string): WrongRuntimeError {
  const error = new Error(message) as Error & { code: 'WRONG_RUNTIME' };
  error.name = 'TributaryWrongRuntimeError';
  error.code = 'WRONG_RUNTIME';
  return error;
}
