// The README's example: a Hono app on Node with a request-scoped logger, served on 127.0.0.1 (port 0),
// asked once for /hello, then stopped. Run: node packages/hono/examples/server.mjs (after a build).
import { AsyncLocalStorage } from 'node:async_hooks';
import { serve } from '@hono/node-server';
import { QueueListener, configureContext } from '@tributary/core';
import { tributaryLogger } from '@tributary/hono';
import { stdoutSink } from '@tributary/sink-stdout';
import { Hono } from 'hono';

configureContext({ storage: new AsyncLocalStorage() });
const listener = new QueueListener({ sinks: [stdoutSink()] });
const db = listener.logger({ name: 'db' });

const app = new Hono();
app.use(tributaryLogger({ logger: listener.logger({ name: 'http' }) }));
app.get('/hello', (c) => {
  c.var.logger.info('saying hello'); // requestId, method, path on every record of the request
  db.info('no query needed'); // this logger too, through the context
  return c.text('hello');
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, async ({ port }) => {
  const response = await fetch(`http://127.0.0.1:${port}/hello`, { headers: { 'x-request-id': 'example-1' } });
  await response.text();
  server.close();
  await listener.stop();
});
