// node packages/sink-rotating-file/examples/rotate.mjs [dir]   (after `npx turbo run build`; also deno run -A, bun)
import { readdirSync } from 'node:fs';
import { QueueListener } from '@tributary/core';
import { rotatingFileSink } from '@tributary/sink-rotating-file';

const dir = process.argv[2] ?? 'logs';
const sink = rotatingFileSink({ path: `${dir}/app.log`, maxSize: 64 * 1024, maxFiles: 3, compress: true });
const listener = new QueueListener({ sinks: [sink] });
const log = listener.logger({ name: 'app' });

for (let request = 1; request <= 5_000; request++) log.info('request served', { request, route: '/api/items' });

await listener.stop();
console.log(readdirSync(dir).sort().join('  '), `(${sink.stats.rotations} rotations)`);
