import { describe, expect, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { startWorker, workerLogger } from '../src/index.ts';

// On Node, the Bun adapter fails at its first use with an error that names this runtime and the right package.
describe('@tributary/bun-worker on Node.js', () => {
  test('startWorker() and workerLogger() throw WRONG_RUNTIME naming Node.js and @tributary/node-worker', async () => {
    const listener = new QueueListener({ sinks: [], onReport: () => {} });
    try {
      for (const call of [() => startWorker(listener, new URL('file:///nowhere.ts')), () => workerLogger()]) {
        let caught: unknown;
        try {
          call();
        } catch (error) {
          caught = error;
        }
        expect((caught as { code?: string }).code).toBe('WRONG_RUNTIME');
        expect(String((caught as Error).message)).toMatch(new RegExp(`needs Bun, but this is Node\\.js ${process.versions.node.replaceAll('.', '\\.')}`));
        expect(String((caught as Error).message)).toContain('@tributary/node-worker');
      }
    } finally {
      await listener.stop();
    }
  });
});
