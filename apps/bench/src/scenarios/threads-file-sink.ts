import { closeSync, openSync, writeSync } from 'node:fs';
import type { LogEntry, Sink } from '@tributary/core';

/**
 * A minimal JSON-lines file writer for the threads benchmark: one synchronous `write` per batch.
 * (The real file sink is @tributary/sink-file; this keeps the benchmark about the queue.)
 */
export function minimalFileSink(path: string): Sink {
  const fd = openSync(path, 'a');
  let closed = false;
  const write = (batch: readonly LogEntry[]): void => {
    let text = '';
    for (const entry of batch) text += `${entry.line}\n`;
    writeSync(fd, text);
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
