import { QueueListener } from '@tributary/core';
import { prettyFormatter } from '@tributary/pretty';
import { stdoutSink } from '@tributary/sink-stdout';

// Formatters run in the listener, on the thread that owns the sink: a function in the options is fine.
const format = prettyFormatter({ renderField: (key, value) => (key === 'ms' ? `${value} ms` : undefined) });
const listener = new QueueListener({ sinks: [stdoutSink({ format })] });
const log = listener.logger({ name: 'app', level: 'debug' });

log.info('server started', { port: 8080, tls: { enabled: false } });
log.child({ name: 'db' }).warn('slow query', { ms: 812, sql: 'select * from users' });
const failure = new AggregateError([new Error('replica 1 down'), new Error('replica 2 down')], 'no replica answered');
log.error(new Error('request failed', { cause: failure }));
log.info('a newline\nand an \u001b[31mANSI escape\u001b[0m in user data stay escaped');

await listener.stop();
