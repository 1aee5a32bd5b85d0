/** The events of a Node readable stream the channel listens to. */
interface ReadableEvents {
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  on(event: 'error' | 'end' | 'close', listener: () => void): unknown;
}

/** Hands each chunk of `stream` to `receive` and calls `end` when it ends, fails or closes (possibly more than once). */
export function readStream(stream: ReadableEvents, receive: (chunk: Uint8Array) => void, end: () => void): void {
  stream.on('data', receive);
  stream.on('error', end);
  stream.on('end', end);
  stream.on('close', end);
}
