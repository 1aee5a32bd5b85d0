/**
 * Where this code runs. The adapter needs Deno's Web Workers and Web Locks; on another runtime it
 * fails at its first use with an error that names the right package.
 */
import { requireRuntime, runtimeDescription, wrongRuntimeError } from '@tributary/core/adapter';

/** Throws a clear error (`WRONG_RUNTIME`) unless this is Deno with Web Locks (Deno 1.38+). */
export function requireDeno(api: string): void {
  requireRuntime('deno', `@tributary/deno-worker: ${api}`, 'Use @tributary/node-worker on Node.js and @tributary/bun-worker on Bun.');
  const locks = (globalThis as { navigator?: { locks?: unknown } }).navigator?.locks;
  if (locks === undefined)
    throw wrongRuntimeError(`@tributary/deno-worker: ${api} needs Web Locks (navigator.locks), which ${runtimeDescription()} lacks; use Deno 2 or newer.`);
}
