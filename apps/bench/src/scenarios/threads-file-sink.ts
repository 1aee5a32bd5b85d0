import { closeSync, openSync, writeSync } from 'node:fs';
import type { Sink } from '@tributary/core';
import type { Batch } from '@tributary/core/sink';

/**
 * A minimal JSON-lines file writer for the threads benchmark: one synchronous `write` per batch, of the
 * batch's bytes as they came from the rings (`Batch.bytes()`, a view, no copy).
 * (The real file sink is @tributary/sink-file; this keeps the benchmark about the queue.)
 */
export function minimalFileSink(path: string): Sink {
  const fd = openSync(path, 'a');
  let closed = false;
  const write = (batch: Batch): void => {
    const bytes = batch.bytes();
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
  };
  return {
    name: `file:${path}`,
    write,
    writeSync: write,
    flush: async () => {},
    close: async () => {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
    [Symbol.asyncDispose]: async () => {
      if (!closed) {
        closed = true;
        closeSync(fd);
      }
    },
  };
}
