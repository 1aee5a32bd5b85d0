import { closeSync, openSync, writeSync } from 'node:fs';
import { batchBytes } from '@tributary/core/sink';
import type { LogEntry, Sink } from '@tributary/core';

/**
 * A minimal JSON-lines file writer for the threads benchmark: one synchronous `write` per batch, of the
 * batch's bytes as they came from the rings (`batchBytes`).
 * (The real file sink is @tributary/sink-file; this keeps the benchmark about the queue.)
 */
export function minimalFileSink(path: string): Sink {
  const fd = openSync(path, 'a');
  let closed = false;
  const write = (batch: readonly LogEntry[]): void => {
    const bytes = batchBytes(batch);
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
