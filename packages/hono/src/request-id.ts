/** Longest request id taken from a header, in characters. */
export const MAX_REQUEST_ID_LENGTH = 128;

/** Printable ASCII without spaces: what an id from a header may hold. */
const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * The request's id: the header's value when it is a plausible id (1 to 128 printable ASCII
 * characters), else a generated one. A generator that throws or returns a non-string falls back
 * to `crypto.randomUUID()`, so a request never fails for its id.
 */
export function requestIdFrom(header: string | undefined, generate: () => string): string {
  if (header !== undefined && header.length <= MAX_REQUEST_ID_LENGTH && PRINTABLE.test(header)) return header;
  try {
    const id = generate();
    if (typeof id === 'string' && id.length > 0) return id;
  } catch {
    // fall through to the default generator
  }
  return randomRequestId();
}

/** `crypto.randomUUID()`, which Node 20, Deno and Bun all have (typed here: no DOM library needed). */
export function randomRequestId(): string {
  return (globalThis as unknown as { crypto: { randomUUID(): string } }).crypto.randomUUID();
}
