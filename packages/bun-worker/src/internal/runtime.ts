/**
 * Where this code runs. The adapter needs Bun's Web Workers (their `close` event and `workerData`);
 * on another runtime it fails at its first use with an error that names the right package.
 */
import { requireRuntime } from '@tributary/core/adapter';

/** Throws a clear error (`WRONG_RUNTIME`) unless this is Bun. */
export function requireBun(api: string): void {
  requireRuntime('bun', `@tributary/bun-worker: ${api}`, 'Use @tributary/node-worker on Node.js and @tributary/deno-worker on Deno.');
}
