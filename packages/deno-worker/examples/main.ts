// deno run -A main.ts [app.log]: four Deno workers log into one file through one listener.
import { QueueListener } from '@tributary/core';
import { fileSink } from '@tributary/sink-file';
import { startWorker } from '@tributary/deno-worker';

const listener = new QueueListener({ sinks: [fileSink({ path: Deno.args[0] ?? 'app.log' })] });
const workers = [1, 2, 3, 4].map(() => startWorker(listener, new URL('./worker.ts', import.meta.url)));
await Promise.all(workers.map((connected) => connected.exited)); // each worker ends itself
const summary = await listener.stop();
console.log(`${summary.received} records written, ${summary.lost} lost`);
