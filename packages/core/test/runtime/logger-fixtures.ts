import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import type { LocalLoggerOptions, Logger } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';

/** A listener with one memory sink; `records()` flushes and returns every record written so far. */
export function setup(options: LocalLoggerOptions = {}): {
  logger: Logger;
  listener: QueueListener;
  records(): Promise<Record<string, unknown>[]>;
  lines(): string[];
} {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
  const logger = listener.logger(options);
  return {
    logger,
    listener,
    lines: () => sink.lines(),
    records: async () => {
      assert.equal(await listener.flush(), true);
      return sink.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    },
  };
}
