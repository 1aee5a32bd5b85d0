/** A demo producer in a Node worker thread: logs `workerData.records` records through the ring. */
import { parentPort, workerData } from 'node:worker_threads';
import { closeWorkerLogger, workerLogger } from '@tributary/node-worker';
import { produce } from '../workload.ts';

const logger = workerLogger({ name: 'demo' });
await produce(logger, (workerData as { records: number }).records, (logged) => parentPort?.postMessage({ logged }));
await closeWorkerLogger();
