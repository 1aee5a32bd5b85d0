import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { QueueListener, configureContext } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { levelForStatus, tributaryLogger } from '@tributary/hono';
import type { TributaryEnv, TributaryLoggerOptions } from '@tributary/hono';
import { Hono } from 'hono';

type Row = Record<string, unknown>;

/** A listener, an app with the middleware, and the records; requests go through `app.request` (no server). */
async function withApp(
  options: Partial<TributaryLoggerOptions>,
  body: (app: Hono<TributaryEnv>, records: () => Promise<Row[]>) => Promise<void>,
): Promise<void> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
  configureContext({ storage: new AsyncLocalStorage() });
  try {
    const app = new Hono<TributaryEnv>();
    app.use(tributaryLogger({ logger: listener.logger({ name: 'http' }), ...options }));
    await body(app, async () => {
      assert.equal(await listener.flush(), true);
      return sink.lines().map((line) => JSON.parse(line) as Row);
    });
  } finally {
    configureContext({ storage: undefined });
    await listener.stop();
  }
}

/** The middleware's options and its error paths, in process on each runtime. */
export default function suite(t: TestApi): void {
  t.describe('@tributary/hono options', () => {
    t.test('bad options are refused at once with a clear error', () => {
      const listener = new QueueListener({ sinks: [], drainOnExit: false, drainOnSignals: false });
      const logger = listener.logger();
      configureContext({ storage: undefined });
      assert.throws(() => tributaryLogger({ logger }), /tributaryLogger: bindContext needs a context storage: call configureContext/);
      assert.doesNotThrow(() => tributaryLogger({ logger, bindContext: false }));
      assert.throws(() => tributaryLogger(undefined as never), /tributaryLogger: logger must be a Tributary Logger; got no options/);
      assert.throws(() => tributaryLogger({ logger: {} as never }), /tributaryLogger: logger must be a Tributary Logger/);
      assert.throws(
        () => tributaryLogger({ logger, bindContext: false, requestIdHeader: '' }),
        /tributaryLogger: requestIdHeader must be a non-empty string; got ""/,
      );
      assert.throws(() => tributaryLogger({ logger, bindContext: false, generateRequestId: 'id' as never }), /generateRequestId must be a function/);
      assert.throws(() => tributaryLogger({ logger, bindContext: 'yes' as never }), /bindContext must be true or false/);
      void listener.stop();
    });

    t.test('levelForStatus: 5xx error, 4xx warn, else info', () => {
      assert.deepEqual([100, 200, 302, 399, 400, 404, 499, 500, 503, 599].map(levelForStatus), [
        'info',
        'info',
        'info',
        'info',
        'warn',
        'warn',
        'warn',
        'error',
        'error',
        'error',
      ]);
    });

    t.test('a thrown non-Error, which Hono passes on: logged at error with status 500, then rethrown', async () => {
      await withApp({}, async (app, records) => {
        app.get('/odd', () => {
          throw 'not an Error';
        });
        await assert.rejects(Promise.resolve(app.request('/odd', { headers: { 'x-request-id': 'odd-1' } })), (thrown) => thrown === 'not an Error');
        const done = (await records()).find((row) => row['msg'] === 'request completed');
        assert.deepEqual([done?.['level'], done?.['status'], done?.['err'], done?.['requestId']], ['error', 500, 'not an Error', 'odd-1']);
      });
    });

    t.test('header names, no response header, own id generator, own levels and message', async () => {
      let made = 0;
      await withApp(
        {
          requestIdHeader: 'x-correlation-id',
          responseIdHeader: false,
          generateRequestId: () => `gen-${++made}`,
          levelForStatus: (status) => (status === 200 ? 'warn' : 'fatal'),
          message: 'done',
        },
        async (app, records) => {
          app.get('/', (c) => c.text('ok'));
          const given = await app.request('/', { headers: { 'x-correlation-id': 'corr-9' } });
          const generated = await app.request('/', { headers: { 'x-request-id': 'ignored' } });
          const control = await app.request('/', { headers: { 'x-correlation-id': 'bad\tid' } }); // not printable: replaced
          assert.equal(given.headers.get('x-request-id'), null);
          assert.equal(given.headers.get('x-correlation-id'), null);
          assert.equal(generated.status, 200);
          assert.equal(control.status, 200);
          assert.deepEqual(
            (await records()).map((row) => [row['msg'], row['level'], row['requestId']]),
            [
              ['done', 'warn', 'corr-9'],
              ['done', 'warn', 'gen-1'],
              ['done', 'warn', 'gen-2'],
            ],
          );
        },
      );
    });

    t.test('a level function that throws falls back to the default; an id generator that throws falls back to a UUID', async () => {
      await withApp(
        {
          levelForStatus: () => {
            throw new Error('no level');
          },
          generateRequestId: () => {
            throw new Error('no id');
          },
        },
        async (app, records) => {
          app.get('/', (c) => c.text('missing', 404));
          const response = await app.request('/');
          assert.equal(response.status, 404);
          const done = (await records()).find((row) => row['msg'] === 'request completed');
          assert.equal(done?.['level'], 'warn');
          assert.match(String(done?.['requestId']), /^[0-9a-f-]{36}$/);
          assert.equal(response.headers.get('x-request-id'), done?.['requestId']);
        },
      );
    });
  });
}
