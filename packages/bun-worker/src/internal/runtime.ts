/**
 * Where this code runs. The adapter needs Bun's Web Workers (their `close` event and `workerData`);
 * on another runtime it fails at its first use with an error that names the right package.
 */
interface BunGlobal {
  readonly version?: string;
}

/** The runtime we are on, as words for an error message. */
export function describeRuntime(): string {
  const host = globalThis as { Deno?: { version?: { deno?: string } }; Bun?: BunGlobal; process?: { versions?: { node?: string } } };
  if (host.Bun !== undefined) return `Bun ${host.Bun.version ?? ''}`.trim();
  if (host.Deno?.version?.deno !== undefined) return `Deno ${host.Deno.version.deno}`;
  if (host.process?.versions?.node !== undefined) return `Node.js ${host.process.versions.node}`;
  return 'an unknown runtime';
}

/** True on Bun. */
export function isBun(): boolean {
  return typeof (globalThis as { Bun?: BunGlobal }).Bun?.version === 'string';
}

/** Error thrown when the adapter is used outside Bun. `code` is `WRONG_RUNTIME`. */
export interface WrongRuntimeError extends Error {
  readonly code: 'WRONG_RUNTIME';
}

/** Throws a clear error unless this is Bun. */
export function requireBun(api: string): void {
  if (isBun()) return;
  const error = new Error(
    `@tributary/bun-worker: ${api} needs Bun, but this is ${describeRuntime()}. ` +
      'Use @tributary/node-worker on Node.js and @tributary/deno-worker on Deno.',
  ) as Error & { code: 'WRONG_RUNTIME' };
  error.name = 'TributaryWrongRuntimeError';
  error.code = 'WRONG_RUNTIME';
  throw error;
}
