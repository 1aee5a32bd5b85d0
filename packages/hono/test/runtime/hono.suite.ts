import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { QueueListener, configureContext } from '@tributary/core';
import type { Logger } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { tributaryLogger } from '@tributary/hono';
import type { TributaryEnv, TributaryLoggerOptions } from '@tributary/hono';
import { Hono } from 'hono';
import { serveOnLoopback } from './serve.ts';

type Row = Record<string, unknown>;

interface Served {
  readonly url: string;
  /** Another logger of the application, not the request's: it gets the request fields from the context. */
  readonly db: Logger;
  /** Every record so far (flushes first). */
  records(): Promise<Row[]>;
  /** The lines as written. */
  lines(): readonly string[];
  /** Which server serves: this runtime's own. */
  readonly kind: string;
}

/**
 * Builds an app with the middleware and `routes`, serves it for real on 127.0.0.1 with this
 * runtime's server, runs `body`, then stops the server and the listener.
 */
async function withServer(
  routes: (app: Hono<TributaryEnv>, db: Logger) => void,
  body: (served: Served) => Promise<void>,
  options: Partial<TributaryLoggerOptions> = {},
): Promise<void> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
  configureContext({ storage: new AsyncLocalStorage() });
  const db = listener.logger({ name: 'db', level: 'trace', producer: 'db' });
  const app = new Hono<TributaryEnv>();
  app.use(tributaryLogger({ logger: listener.logger({ name: 'http', level: 'trace' }), ...options }));
  routes(app, db);
  const server = await serveOnLoopback(app.fetch);
  try {
    await body({
      url: server.url,
      kind: server.kind,
      db,
      lines: () => sink.lines(),
      records: async () => {
        assert.equal(await listener.flush(), true);
        return sink.lines().map((line) => JSON.parse(line) as Row);
      },
    });
  } finally {
    await server.close();
    configureContext({ storage: undefined });
    await listener.stop();
  }
}

const completions = (rows: Row[]): Row[] => rows.filter((row) => row['msg'] === 'request completed');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** @tributary/hono with real HTTP requests on 127.0.0.1, on this runtime's own server. */
export default function suite(t: TestApi): void {
  t.describe('@tributary/hono', () => {
    t.test('a request: its logger in c.var, the id from x-request-id, context for other loggers, one completion record', async () => {
      await withServer(
        (app, db) =>
          app.get('/hello', async (c) => {
            c.var.logger.info('handling', { user: 'ada' });
            await new Promise((resolve) => setTimeout(resolve, 1));
            db.debug('query');
            return c.text('hello world', 200, { 'content-length': '11' });
          }),
        async ({ url, records, lines, kind }) => {
          const runtimes = globalThis as { Deno?: unknown; Bun?: unknown };
          assert.equal(kind, runtimes.Deno !== undefined ? 'Deno.serve' : runtimes.Bun !== undefined ? 'Bun.serve' : '@hono/node-server');
          const response = await fetch(`${url}/hello?x=1`, { headers: { 'x-request-id': 'req-42' } });
          assert.equal(response.status, 200);
          assert.equal(await response.text(), 'hello world');
          assert.equal(response.headers.get('x-request-id'), 'req-42');
          const rows = await records();
          const pick = (row: Row | undefined) => [row?.['logger'], row?.['msg'], row?.['requestId'], row?.['method'], row?.['path']];
          assert.deepEqual(rows.map(pick), [
            ['http', 'handling', 'req-42', 'GET', '/hello'],
            ['db', 'query', 'req-42', 'GET', '/hello'],
            ['http', 'request completed', 'req-42', 'GET', '/hello'],
          ]);
          const done = completions(rows)[0];
          assert.equal(done?.['level'], 'info');
          assert.equal(done?.['status'], 200);
          assert.equal(done?.['bytes'], 11);
          assert.equal(typeof done?.['durationMs'], 'number');
          assert.ok(Number(done?.['durationMs']) >= 0);
          assert.equal(rows[0]?.['user'], 'ada');
          // The request logger's records get the fields from the context only: each is written once.
          for (const line of lines()) assert.equal(line.match(/"requestId"/g)?.length, 1, line);
        },
      );
    });

    t.test('without the header an id is generated, told in the response header and carried by every record', async () => {
      await withServer(
        (app) => app.get('/', (c) => c.text(c.var.requestId)),
        async ({ url, records }) => {
          const response = await fetch(`${url}/`, { headers: { 'x-request-id': 'x'.repeat(200) } }); // too long: not used
          const id = await response.text();
          assert.match(id, UUID);
          assert.equal(response.headers.get('x-request-id'), id);
          assert.deepEqual(
            completions(await records()).map((row) => row['requestId']),
            [id],
          );
        },
      );
    });

    t.test('the level follows the status: 5xx error, 4xx warn, else info; a body-less response has 0 bytes', async () => {
      await withServer(
        (app) => {
          app.get('/created', (c) => c.body(null, 201));
          app.get('/teapot', (c) => c.text('no', 418));
          app.get('/unavailable', (c) => c.text('later', 503));
        },
        async ({ url, records }) => {
          for (const path of ['/created', '/teapot', '/unavailable', '/missing']) await (await fetch(`${url}${path}`)).arrayBuffer();
          const rows = completions(await records());
          assert.deepEqual(
            rows.map((row) => [row['path'], row['status'], row['level']]),
            [
              ['/created', 201, 'info'],
              ['/teapot', 418, 'warn'],
              ['/unavailable', 503, 'error'],
              ['/missing', 404, 'warn'],
            ],
          );
          assert.equal(rows[0]?.['bytes'], 0);
        },
      );
    });

    t.test('a handler that throws: logged with its error at error level, then handled by app.onError', async () => {
      const handled: unknown[] = [];
      await withServer(
        (app) => {
          app.get('/boom', (c) => {
            c.var.logger.warn('about to fail');
            throw new Error('boom', { cause: new Error('root cause') });
          });
          app.onError((error, c) => {
            handled.push(error);
            return c.text('sorry', 500);
          });
        },
        async ({ url, records }) => {
          const response = await fetch(`${url}/boom`, { headers: { 'x-request-id': 'fail-1' } });
          assert.equal(response.status, 500);
          assert.equal(await response.text(), 'sorry');
          const rows = await records();
          assert.deepEqual(
            rows.map((row) => [row['msg'], row['requestId']]),
            [
              ['about to fail', 'fail-1'],
              ['request completed', 'fail-1'],
            ],
          );
          const done = rows[1] as { level: string; status: number; err: { name: string; message: string; cause: { message: string } } };
          assert.equal(done.level, 'error');
          assert.equal(done.status, 500);
          assert.equal(done.err.name, 'Error');
          assert.equal(done.err.message, 'boom');
          assert.equal(done.err.cause.message, 'root cause');
          assert.equal(handled.length, 1);
          assert.equal((handled[0] as Error).message, 'boom');
        },
      );
    });

    t.test('concurrent, interleaved requests: each record carries its own request id', async () => {
      await withServer(
        (app, db) =>
          app.get('/work/:n', async (c) => {
            const n = Number(c.req.param('n'));
            db.info('step 1', { n });
            await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
            db.info('step 2', { n });
            await Promise.resolve();
            c.var.logger.info('step 3', { n });
            return c.text(String(n));
          }),
        async ({ url, records }) => {
          const bodies = await Promise.all(
            Array.from({ length: 12 }, async (_, n) => (await fetch(`${url}/work/${n}`, { headers: { 'x-request-id': `r${n}` } })).text()),
          );
          assert.deepEqual(
            bodies,
            Array.from({ length: 12 }, (_, n) => String(n)),
          );
          const rows = await records();
          const steps = rows.filter((row) => String(row['msg']).startsWith('step'));
          assert.equal(steps.length, 36);
          for (const row of steps) assert.equal(row['requestId'], `r${String(row['n'])}`, `${String(row['msg'])} of ${String(row['n'])}`);
          assert.equal(completions(rows).length, 12);
          for (const row of completions(rows)) assert.equal(row['path'], `/work/${String(row['requestId']).slice(1)}`);
        },
      );
    });

    t.test('bindContext false: only the request logger carries the fields, as bound fields', async () => {
      await withServer(
        (app, db) =>
          app.get('/', (c) => {
            db.info('from db');
            c.var.logger.info('from request');
            return c.text('ok');
          }),
        async ({ url, records }) => {
          await (await fetch(`${url}/`, { headers: { 'x-request-id': 'b-1' } })).text();
          const rows = await records();
          assert.deepEqual(
            rows.map((row) => [row['msg'], row['requestId']]),
            [
              ['from db', undefined],
              ['from request', 'b-1'],
              ['request completed', 'b-1'],
            ],
          );
        },
        { bindContext: false, requestIdHeader: 'x-request-id' },
      );
    });
  });
}
