/** Worker thread of the `file-threads-rotating` scenario: logs `workerData.records` records, then closes. */
import { workerData } from 'node:worker_threads';
import { closeWorkerLogger, workerLogger } from '@tributary/node-worker';

const { records } = workerData as { records: number };
const log = workerLogger({ name: 'http' });
for (let index = 0; index < records; index++) log.info('request handled', { index, route: '/api/items', status: 200, ms: index % 97 });
await closeWorkerLogger();
