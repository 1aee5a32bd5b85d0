/** A demo producer in a Bun Web Worker: logs `workerData.records` records through the ring. */
import { workerData } from 'node:worker_threads';
import { closeWorkerLogger, workerLogger } from '@tributary/bun-worker';
import { produce } from '../workload.ts';

declare const self: { postMessage(message: unknown): void; close(): void };
const records = Number((workerData as { records?: number } | null)?.records);
const logger = workerLogger({ name: 'demo' });
await produce(logger, records, (logged) => self.postMessage({ logged }));
await closeWorkerLogger();
self.close();
