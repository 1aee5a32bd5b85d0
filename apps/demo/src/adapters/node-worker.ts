import { startWorker } from '@tributary/node-worker';
import type { DemoAdapter } from '../types.ts';
import { RING, runProducers } from './run-producers.ts';

/** Node worker threads writing through shared-memory rings (`w1`, `w2`, …). */
export const nodeWorkerAdapter: DemoAdapter = {
  name: 'node-worker',
  runtime: 'node',
  run(listener, spec, progress) {
    const script = new URL('../producers/node-worker-producer.js', import.meta.url);
    return runProducers(spec, 'w', progress, (id, records, onProgress) => {
      const { worker, exited } = startWorker(listener, script, { producer: id, workerData: { records }, ...RING });
      worker.on('message', (message: { logged?: number }) => {
        if (typeof message?.logged === 'number') onProgress(message.logged);
      });
      worker.on('error', () => {});
      return { done: exited.then(() => {}), kill: () => void worker.terminate() };
    });
  },
};
