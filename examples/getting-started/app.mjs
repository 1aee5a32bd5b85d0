import { AsyncLocalStorage } from 'node:async_hooks';
import { serve } from '@hono/node-server';
import { QueueListener, configureContext } from '@tributary/core';
import { tributaryLogger } from '@tributary/hono';
import { startWorker } from '@tributary/node-worker';
import { prettyFormatter } from '@tributary/pretty';
import { fileSink } from '@tributary/sink-file';
import { stdoutSink } from '@tributary/sink-stdout';
import { Hono } from 'hono';

configureContext({ storage: new AsyncLocalStorage() }); // request context for every logger of the thread
const listener = new QueueListener({ sinks: [stdoutSink({ format: prettyFormatter() }), fileSink({ path: 'app.log' })] });
const log = listener.logger({ name: 'app' });
startWorker(listener, new URL('./worker.mjs', import.meta.url)); // its records reach the same sinks
const app = new Hono().use(tributaryLogger({ logger: log })).get('/', (c) => c.text(`hello, ${c.var.requestId}`));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 3000) }, ({ port }) => log.info('listening', { port }));
process.once('SIGINT', () => server.close(() => listener.stop())); // Ctrl-C: drain, flush and close the sinks
