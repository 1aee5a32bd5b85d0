/** A demo producer in a Deno Web Worker: logs `?records=N` (from its module URL) records through the ring. */
import { closeWorkerLogger, workerLogger } from '@tributary/deno-worker';
import { produce } from '../workload.ts';

declare const self: { postMessage(message: unknown): void; close(): void };
const records = Number(new URL(import.meta.url).searchParams.get('records'));
const logger = workerLogger({ name: 'demo' });
await produce(logger, records, (logged) => self.postMessage({ logged }));
await closeWorkerLogger();
self.close();
