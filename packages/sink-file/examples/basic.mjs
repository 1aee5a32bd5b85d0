// node packages/sink-file/examples/basic.mjs [path]   (after `npx turbo run build`; also deno run -A, bun)
import { QueueListener } from '@tributary/core';
import { fileSink } from '@tributary/sink-file';

const path = process.argv[2] ?? 'logs/app.log';
const sink = fileSink({ path, sighup: true });
const listener = new QueueListener({ sinks: [sink] });
const log = listener.logger({ name: 'app' });

log.info('server started', { port: 8080 });
for (let request = 1; request <= 1_000; request++) log.info('request served', { request, ms: request % 40 });

await listener.stop();
console.error(`${path}: ${sink.stats.bytesWritten} bytes written, ${sink.stats.writeErrors} write errors`);
