// node packages/sink-stdout/examples/basic.mjs                    → JSON lines
// node packages/sink-stdout/examples/basic.mjs text               → text, coloured on a terminal
// node packages/sink-stdout/examples/basic.mjs json 100000 | head -1
//   → one line, then a clean exit: the reader left early (EPIPE), the loss is counted and reported once
import { QueueListener } from '@tributary/core';
import { stdoutSink } from '@tributary/sink-stdout';

const format = process.argv[2] === 'text' ? 'text' : 'json';
const requests = Number(process.argv[3] ?? 5);

const sink = stdoutSink({ format });
const listener = new QueueListener({ sinks: [sink] });
const log = listener.logger({ name: 'app' });

log.info('server started', { port: 8080 });
log.debug('not written: below the logger level (info)');
for (let request = 1; request <= requests; request++) log.info('request served', { request, ms: request % 40 });
log.warn('a newline\nand an \u001b[31mANSI escape\u001b[0m stay on one line');

await listener.stop();
const { written, dropped } = sink.stats;
console.error(`written: ${written}, dropped (the reader closed the pipe): ${dropped}`);
