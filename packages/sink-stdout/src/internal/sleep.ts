let cell: Int32Array | undefined;

/**
 * Blocks the thread for `milliseconds` without spinning (Atomics.wait on a private cell). Used only
 * on the synchronous exit path, where no event loop runs any more.
 */
export function sleepSync(milliseconds: number): void {
  cell ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(cell, 0, 0, milliseconds);
}
