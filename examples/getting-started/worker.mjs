import { workerLogger } from '@tributary/node-worker';
workerLogger({ name: 'job' }).info('job done', { items: 3 }); // runs in a worker thread
