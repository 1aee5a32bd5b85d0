import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { QueueListener, configureContext, currentContext, isContextConfigured, withContext } from '@tributary/core';
import type { LocalLoggerOptions, Logger } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

type Row = Record<string, unknown>;

/** A listener with a memory sink, a context storage for the test's duration, and the records written. */
async function withListener(body: (logger: Logger, listener: QueueListener) => Promise<void> | void, options: LocalLoggerOptions = {}): Promise<Row[]> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
  configureContext({ storage: new AsyncLocalStorage() });
  try {
    await body(listener.logger({ name: 'app', level: 'trace', ...options }), listener);
    assert.equal(await listener.flush(), true);
  } finally {
    configureContext({ storage: undefined });
    await listener.stop();
  }
  return sink.lines().map((line) => JSON.parse(line) as Row);
}

const pause = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A record's fields beyond the core seven. */
function userFields(record: Row | undefined): Row {
  const { time: _t, level: _l, msg: _m, logger: _g, producer: _p, seq: _s, pid: _i, ...rest } = record ?? {};
  return rest;
}

/** withContext: fields on every record logged inside a callback, across awaits, on this runtime's AsyncLocalStorage. */
export default function suite(t: TestApi): void {
  t.describe('withContext', () => {
    t.test('without a configured storage it throws a clear error; a bad storage is refused', () => {
      configureContext({ storage: undefined });
      assert.equal(isContextConfigured(), false);
      assert.throws(() => withContext({ a: 1 }, () => 1), /withContext: no context storage; call configureContext\(\{ storage: new AsyncLocalStorage\(\) \}\)/);
      assert.throws(() => configureContext({ storage: {} as never }), /configureContext: storage must have getStore\(\) and run\(\)/);
      assert.throws(() => configureContext(null as never), /configureContext: options must be an object/);
      configureContext({ storage: new AsyncLocalStorage() });
      try {
        assert.throws(() => withContext(null as never, () => 1), /withContext: fields must be an object/);
        assert.equal(
          withContext({ a: 1 }, () => 42),
          42,
        );
      } finally {
        configureContext({ storage: undefined });
      }
    });

    t.test('interleaved concurrent requests: each record carries its own request fields, across awaits', async () => {
      const records = await withListener(async (logger) => {
        const db = logger.child('db');
        await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            withContext({ requestId: `r${index}`, user: index % 3 }, async () => {
              logger.info(`start ${index}`);
              await pause((index * 7) % 5);
              db.debug(`query ${index}`);
              await Promise.resolve();
              await withContext({ step: 'inner' }, async () => {
                await pause(index % 3);
                logger.info(`inner ${index}`);
              });
              logger.info(`end ${index}`, { requestId: `call-${index}` }); // the call's field wins
            }),
          ),
        );
        logger.info('after all');
      });
      assert.equal(records.length, 81);
      for (const record of records.slice(0, 80)) {
        const [kind, index] = String(record['msg']).split(' ');
        const expected: Row = { requestId: kind === 'end' ? `call-${index}` : `r${index}`, user: Number(index) % 3 };
        if (kind === 'inner') expected['step'] = 'inner';
        assert.deepEqual(userFields(record), expected, String(record['msg']));
      }
      assert.deepEqual(userFields(records[80]), {}, 'outside the context nothing is added');
      // Really interleaved: some request started before an earlier one ended.
      const order = records.map((record) => String(record['msg']));
      assert.ok(order.indexOf('start 19') < order.indexOf('end 0'));
    });

    t.test('bound fields and call fields win over context fields of the same name; nested contexts add up', async () => {
      const records = await withListener((logger) => {
        const bound = logger.child({ fields: { component: 'bound' } });
        withContext({ component: 'context', requestId: 'a' }, () => {
          withContext({ requestId: 'b', depth: 2 }, () => {
            logger.info('plain');
            bound.info('bound');
            logger.info('call', { component: 'call' });
            assert.deepEqual(currentContext(), { component: 'context', requestId: 'b', depth: 2 });
          });
          logger.info('outer again');
        });
      });
      assert.deepEqual(
        records.map((record) => [record['msg'], record['component'], record['requestId'], record['depth']]),
        [
          ['plain', 'context', 'b', 2],
          ['bound', 'bound', 'b', 2],
          ['call', 'call', 'b', 2],
          ['outer again', 'context', 'a', undefined],
        ],
      );
    });

    t.test('the logger’s redaction and limits apply to context fields', async () => {
      const records = await withListener(
        (logger) => {
          withContext({ token: 'secret', note: 'x'.repeat(50) }, () => logger.info('redacted'));
        },
        { redact: { keys: ['token'] }, limits: { maxStringLength: 10 } },
      );
      assert.equal(records[0]?.['token'], '[Redacted]');
      assert.match(String(records[0]?.['note']), /^x{10}…\[truncated 40 chars\]$/);
    });

    // AsyncLocalStorage must follow each of these on every runtime (Deno has had bugs with some).
    const carriers: readonly [string, (log: () => void) => Promise<void>][] = [
      ['setTimeout', (log) => new Promise((resolve) => setTimeout(() => resolve(log()), 1))],
      [
        'setInterval',
        (log) =>
          new Promise((resolve) => {
            const timer = setInterval(() => {
              clearInterval(timer);
              resolve(log());
            }, 1);
          }),
      ],
      ['queueMicrotask', (log) => new Promise((resolve) => queueMicrotask(() => resolve(log())))],
      ['a promise’s then()', (log) => Promise.resolve().then(log)],
      [
        'an await of a thenable (not a promise)',
        async (log) => {
          await { then: (resolve: (value: unknown) => void) => setTimeout(resolve, 1) };
          log();
        },
      ],
      [
        'an async generator',
        async (log) => {
          async function* steps() {
            await pause(1);
            yield 1;
          }
          for await (const _ of steps()) log();
        },
      ],
      [
        'an EventTarget listener',
        (log) =>
          new Promise((resolve) => {
            const target = new EventTarget();
            target.addEventListener('go', () => resolve(log()));
            setTimeout(() => target.dispatchEvent(new Event('go')), 1);
          }),
      ],
      [
        'a rejected promise caught later',
        async (log) => {
          await Promise.reject(new Error('x')).catch(() => pause(1));
          log();
        },
      ],
    ];
    for (const [name, carrier] of carriers) {
      t.test(`the context follows ${name}`, async () => {
        const records = await withListener((logger) => withContext({ via: name }, () => carrier(() => logger.info('carried'))));
        assert.deepEqual(
          records.map((record) => record['via']),
          [name],
        );
      });
    }
  });
}
