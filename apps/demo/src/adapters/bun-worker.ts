import { startWorker } from '@tributary/bun-worker';
import type { DemoAdapter } from '../types.ts';
import { RING, runProducers } from './run-producers.ts';

/** Bun Web Workers writing through shared-memory rings; the listener runs on Bun's main thread. */
export const bunWorkerAdapter: DemoAdapter = {
  name: 'bun-worker',
  runtime: 'bun',
  run(listener, spec, progress) {
    return runProducers(spec, 'b', progress, (id, records, onProgress) => {
      const url = new URL('../producers/bun-worker-producer.js', import.meta.url);
      const connected = startWorker(listener, url, { producer: id, workerData: { records }, ...RING });
      (connected.worker as unknown as EventTarget).addEventListener('message', (event) => {
        const data = (event as unknown as { data?: { logged?: number } }).data;
        if (typeof data?.logged === 'number') onProgress(data.logged);
      });
      return { done: connected.exited.then(() => {}), kill: () => void connected.terminate() };
    });
  },
};
