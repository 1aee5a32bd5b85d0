import type { Worker } from 'node:worker_threads';
import { describe, test } from 'vitest';
import { runAdapterConformance } from '@tributary/core/testing';
import type { AdapterProducer } from '@tributary/core/testing';
import { startWorker } from '@tributary/node-worker';

const fixture = new URL('./fixtures/script-worker.mjs', import.meta.url);

runAdapterConformance(
  { describe, test },
  {
    name: 'node-worker (worker_threads + shared-memory ring)',
    capabilities: { durable: true },
    createHarness: () => {
      const workers: Worker[] = [];
      return {
        start(listener, script, producer): AdapterProducer {
          const { worker, exited } = startWorker(listener, fixture, {
            producer,
            workerData: { script },
            // the worker imports the built packages, not vitest's source condition
            execArgv: [],
          });
          workers.push(worker);
          worker.on('error', () => {}); // the 'throw' script crashes its worker on purpose
          const logged = new Promise<void>((resolve) => {
            worker.on('message', (message: { event?: string }) => {
              if (message?.event === 'logged') resolve();
            });
          });
          return {
            producer,
            logged,
            exited: exited.then(() => undefined),
            go: () => worker.postMessage('go'),
            kill: async () => {
              await worker.terminate();
            },
          };
        },
        cleanup: async () => {
          await Promise.all(workers.map((worker) => worker.terminate()));
        },
      };
    },
  },
);
