// The worker of main.ts: logs 10,000 records, then ends with self.close() — nothing is lost.
import { workerConnected, workerLogger } from '@tributary/deno-worker';

const log = workerLogger({ name: 'job' });
await workerConnected(); // from here on, each record is in shared memory when info() returns
for (let n = 1; n <= 10_000; n++) log.info('step done', { n });
self.close();
