/**
 * Where this code runs. The adapter needs Bun's Web Workers (their `close` event and `workerData`);
 * on another runtime it fails at its first use with an error that names the right package.
 */
import { runtime, runtimeDescription } from '@tributary/core/adapter';

/** True on Bun. */
export function isBun(): boolean {
  return runtime === 'bun';
}

/** Error thrown when the adapter is used outside Bun. `code` is `WRONG_RUNTIME`. */
export interface WrongRuntimeError extends Error {
  readonly code: 'WRONG_RUNTIME';
}

/** Throws a clear error unless this is Bun. */
export function requireBun(api: string): void {
  if (isBun()) return;
  const error = new Error(
    `@tributary/bun-worker: ${api} needs Bun, but this is ${runtimeDescription()}. ` +
      'Use @tributary/node-worker on Node.js and @tributary/deno-worker on Deno.',
  ) as Error & { code: 'WRONG_RUNTIME' };
  error.name = 'TributaryWrongRuntimeError';
  error.code = 'WRONG_RUNTIME';
  throw error;
}
