import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

/** The first two bytes of every gzip stream (RFC 1952). */
export function isGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The bytes of `source`, gunzipped when they start with gzip's magic bytes (several gzip members
 * one after the other are read as one stream, as `zcat` does), as they are otherwise.
 */
export async function* gunzipIfCompressed(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headLength = 0;
  while (headLength < 2) {
    const next = await iterator.next();
    if (next.done === true) break;
    head.push(next.value);
    headLength += next.value.length;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done === true) return;
      yield next.value;
    }
  }
  const first = head.length === 1 ? (head[0] as Uint8Array) : Buffer.concat(head);
  if (!isGzipMagic(first)) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  const feeding = pipeline(all(), gunzip);
  feeding.catch(() => {}); // the same error reaches the loop below through gunzip
  for await (const chunk of gunzip) yield chunk as Uint8Array;
  await feeding;
}
