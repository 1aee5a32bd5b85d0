/**
 * The two functions the conformance suites need from a test framework. vitest's and bun:test's
 * `describe`/`test` fit as they are; `tooling/runtime-tests` supplies them for Deno and plain Node.
 */
export interface TestApi {
  describe(name: string, body: () => void): void;
  test(name: string, body: () => Promise<void> | void, timeoutMs?: number): void;
}

/** Waits until `condition` holds, polling; throws after `timeoutMs` (default 30 s) with `what`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
