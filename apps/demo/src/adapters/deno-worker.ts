import { startWorker } from '@tributary/deno-worker';
import type { DemoAdapter } from '../types.ts';
import { RING, runProducers } from './run-producers.ts';

/** Deno Web Workers writing through shared-memory rings; the listener runs on Deno's main thread. */
export const denoWorkerAdapter: DemoAdapter = {
  name: 'deno-worker',
  runtime: 'deno',
  run(listener, spec, progress) {
    return runProducers(spec, 'd', progress, (id, records, onProgress) => {
      const url = new URL(`../producers/deno-worker-producer.js?records=${records}`, import.meta.url);
      const connected = startWorker(listener, url, { producer: id, ...RING });
      (connected.worker as unknown as EventTarget).addEventListener('message', (event) => {
        const data = (event as unknown as { data?: { logged?: number } }).data;
        if (typeof data?.logged === 'number') onProgress(data.logged);
      });
      return { done: connected.exited.then(() => {}), kill: () => void connected.terminate() };
    });
  },
};
