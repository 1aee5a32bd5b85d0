// The worker of main.ts: logs 10,000 records, then ends with process.exit() — nothing is lost.
import { workerLogger } from '@tributary/bun-worker';

const log = workerLogger({ name: 'job' }); // started by startWorker(): durable from the first call
for (let n = 1; n <= 10_000; n++) log.info('step done', { n });
process.exit(0);
