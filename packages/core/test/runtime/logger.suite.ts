import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink } from '@tributary/core/testing';
import { setup } from './logger-fixtures.ts';
import type { TestApi } from '@tributary/core/testing';

const throwingTraps: ProxyHandler<object> = Object.fromEntries(
  ['get', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'apply'].map((trap) => [
    trap,
    () => {
      throw new Error(`trap ${trap} refused`);
    },
  ]),
);

/** What a user sees of Logger: levels, thresholds, children, and calls that never throw or get lost. */
export default function suite(t: TestApi): void {
  t.describe('logger', () => {
    t.test('level methods write records at their level; the default threshold is info', async () => {
      const { logger, listener, records } = setup({ name: 'app' });
      assert.equal(logger.level, 'info');
      logger.trace('t');
      logger.debug('d');
      logger.info('i', { n: 1 });
      logger.warn('w');
      logger.error('e');
      logger.fatal('f');
      const written = await records();
      assert.deepEqual(
        written.map((record) => [record['level'], record['msg']]),
        [
          ['info', 'i'],
          ['warn', 'w'],
          ['error', 'e'],
          ['fatal', 'f'],
        ],
      );
      assert.deepEqual(
        written.map((record) => record['seq']),
        [1, 2, 3, 4],
      );
      assert.equal(written[0]?.['n'], 1);
      assert.equal(written[0]?.['logger'], 'app');
      assert.equal(written[0]?.['producer'], 'main');
      await listener.stop();
    });

    t.test('thresholds: trace lets everything through, silent nothing', async () => {
      for (const [level, expected] of [
        ['trace', 6],
        ['debug', 5],
        ['warn', 3],
        ['error', 2],
        ['fatal', 1],
        ['silent', 0],
      ] as const) {
        const { logger, listener, records } = setup({ level });
        logger.trace('t');
        logger.debug('d');
        logger.info('i');
        logger.warn('w');
        logger.error('e');
        logger.fatal('f');
        assert.equal((await records()).length, expected, `threshold ${level}`);
        await listener.stop();
      }
    });

    t.test('isLevelEnabled follows the threshold', async () => {
      const { logger, listener } = setup({ level: 'warn' });
      assert.deepEqual(
        (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const).map((level) => logger.isLevelEnabled(level)),
        [false, false, false, true, true, true],
      );
      const silent = logger.child({ level: 'silent' });
      assert.equal(silent.isLevelEnabled('fatal'), false);
      await listener.stop();
    });

    t.test('log(level) at run time; an unknown level is written as info with _badLevel, never lost', async () => {
      const { logger, listener, records } = setup({ level: 'debug' });
      logger.log('debug', 'runtime debug');
      logger.log('trace', 'below threshold');
      logger.log('loud' as never, 'unknown');
      logger.log('toString' as never, 'inherited name');
      logger.log('__proto__' as never, 'proto');
      logger.log(
        {
          toString: () => {
            throw new Error('no name');
          },
        } as never,
        'hostile level',
      );
      const written = await records();
      assert.deepEqual(
        written.map((record) => [record['level'], record['msg'], record['_badLevel']]),
        [
          ['debug', 'runtime debug', undefined],
          ['info', 'unknown', 'loud'],
          ['info', 'inherited name', 'toString'],
          ['info', 'proto', '__proto__'],
          ['info', 'hostile level', '[Throws: no name]'],
        ],
      );
      await listener.stop();
    });

    t.test('child loggers: dotted names, bound fields that accumulate, their own threshold', async () => {
      const { logger, listener, records } = setup({ name: 'app', level: 'info', fields: { service: 'api' } });
      const db = logger.child({ name: 'db', fields: { pool: 2 } });
      const query = db.child({ name: 'query', fields: { pool: 3, table: 't' }, level: 'debug' });
      const shortcut = logger.child('http');
      const same = logger.child({});
      assert.equal(db.name, 'app.db');
      assert.equal(query.name, 'app.db.query');
      assert.equal(shortcut.name, 'app.http');
      assert.equal(same.name, 'app');
      assert.equal(db.level, 'info');
      assert.equal(query.level, 'debug');
      db.debug('hidden');
      query.debug('shown', { rows: 5 });
      logger.debug('hidden too');
      shortcut.info('h');
      const written = await records();
      assert.equal(written.length, 2);
      assert.deepEqual(
        { ...written[0], time: 0 },
        {
          time: 0,
          level: 'debug',
          msg: 'shown',
          logger: 'app.db.query',
          producer: 'main',
          seq: 1,
          pid: written[0]?.['pid'],
          service: 'api',
          pool: 3,
          table: 't',
          rows: 5,
        },
      );
      assert.equal(written[1]?.['logger'], 'app.http');
      assert.equal(written[1]?.['service'], 'api');
      const rootless = setup();
      assert.equal(rootless.logger.child('db').name, 'db');
      await rootless.listener.stop();
      await listener.stop();
    });

    t.test('bound fields named like core fields are renamed, not obeyed', async () => {
      const { logger, listener, records } = setup({ name: 'a' });
      logger.child({ fields: { seq: 100, logger: 'forged', producer: 'evil' } }).info('m', { pid: -1 });
      const [record] = await records();
      assert.equal(record?.['seq'], 1);
      assert.equal(record?.['logger'], 'a');
      assert.equal(record?.['producer'], 'main');
      assert.equal(record?.['_seq'], 100);
      assert.equal(record?.['_logger'], 'forged');
      assert.equal(record?.['_producer'], 'evil');
      assert.equal(record?.['_pid'], -1);
      await listener.stop();
    });

    t.test('a disabled call builds nothing: no getter, toJSON or toString of its arguments runs', async () => {
      const { logger, listener, records } = setup({ level: 'warn' });
      let touched = 0;
      const fields = {
        get expensive(): number {
          touched += 1;
          return 1;
        },
        toJSON() {
          touched += 1;
          return {};
        },
      };
      const message = {
        toString() {
          touched += 1;
          return 'msg';
        },
      };
      logger.info('x', fields);
      logger.debug(message as never, fields);
      logger.log('trace', 'x', fields);
      logger.child({ level: 'error' }).warn('x', fields);
      assert.equal(touched, 0);
      assert.equal((await records()).length, 0);
      logger.warn('now it runs', fields);
      assert.equal((await records()).length, 1);
      assert.ok(touched > 0);
      await listener.stop();
    });

    t.test('bad configuration throws a clear error at configuration time', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      assert.throws(
        () => listener.logger({ level: 'loud' as never }),
        /logger level must be one of 'trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent' \(in any case\); got "loud"/,
      );
      assert.throws(() => listener.logger({ level: 30 as never }), /got number 30/);
      const logger = listener.logger({ producer: 'ok', level: 'silent' });
      assert.throws(() => logger.child({ level: 'INFOS' as never }), /child logger level must be one of/);
      assert.equal(logger.child({ level: 'INFO' as never }).level, 'info'); // names are case-insensitive
      assert.throws(() => logger.child({ name: 5 as never }), /child logger name must be a string/);
      assert.throws(() => listener.logger({ name: {} as never, producer: 'n' }), /logger name must be a string/);
      assert.throws(() => listener.logger({ producer: '' }), /producer must be a non-empty string/);
      assert.throws(() => listener.logger({ producer: 'b', batchSize: 0 }), /batchSize must be an integer ≥ 1; got 0/);
      assert.throws(() => listener.logger({ producer: 'c', limits: { maxDepth: -1 } }), /limits\.maxDepth must be a positive integer/);
      assert.throws(() => new QueueListener({ sinks: [{ sink: sink, level: 'verbose' as never }] }), /sinks\[0\]\.level must be one of/);
      assert.throws(() => new QueueListener({ sinks: [{} as never] }), /sinks\[0\] has no write\(\) method/);
      assert.throws(() => new QueueListener(undefined as never), /options are required/);
      // The listener stays usable after refused configurations.
      assert.doesNotThrow(() => listener.logger({ producer: 'b' }).info('b works'));
      assert.doesNotThrow(() => listener.logger({ producer: 'c' }).info('c works'));
      const summary = await listener.stop();
      assert.equal(summary.received, 2);
      assert.deepEqual(
        sink.lines().map((line) => (JSON.parse(line) as Record<string, unknown>)['msg']),
        ['b works', 'c works'],
      );
    });

    t.test('log calls never throw, and every call gives exactly one record', async () => {
      const { logger, listener, records } = setup({ level: 'trace' });
      const { proxy: revoked, revoke } = Proxy.revocable({}, {});
      revoke();
      const hostileFields = new Proxy({}, throwingTraps);
      const throwingToString = {
        toString() {
          throw new Error('toString refused');
        },
      };
      const messageThrows = new Error('base');
      Object.defineProperty(messageThrows, 'message', {
        get() {
          throw new Error('message refused');
        },
      });
      const calls: (() => void)[] = [
        () => logger.info(new Proxy({}, throwingTraps) as never),
        () => logger.info(new Proxy({}, throwingTraps) as never, { k: 1 }),
        () => logger.error(revoked as never),
        () => logger.warn(revoked as never, { k: 1 }),
        () => logger.info(Symbol('s') as never),
        () => logger.info(throwingToString as never),
        () => logger.info(throwingToString as never, { k: 1 }),
        () => logger.error(messageThrows),
        () => logger.error(messageThrows, hostileFields as never),
        () => logger.info('m', hostileFields as never),
        () => logger.info('m', revoked as never),
        () => logger.info(undefined as never),
        () => logger.info(null as never),
        () => logger.info(42 as never),
        () => logger.log(revoked as never, 'm'),
        () => logger.log(Symbol('lvl') as never, 'm'),
        () => logger.child({ fields: hostileFields as never }).info('m'),
        () => logger.child({ fields: revoked as never }).info('m'),
      ];
      for (const call of calls) assert.doesNotThrow(call);
      const written = await records();
      assert.equal(written.length, calls.length, 'every call gives one record');
      const check = checkOutput(written.map((record) => JSON.stringify(record)));
      assert.equal(check.producers.get('main')?.count, calls.length);
      assert.equal(check.missing, 0);
      for (const record of written) assert.equal(typeof record['msg'], 'string');
      await listener.stop();
    });

    t.test('redaction configured on the logger: secrets never reach a sink, at any depth, in bound fields too', async () => {
      const secret = 'correct-horse-battery-staple';
      const { logger, listener, lines } = setup({ name: 'auth', redact: { keys: ['password', 'cookie'] }, fields: { cookie: secret } });
      logger.info('login', { user: 'ann', password: secret, request: { headers: { Cookie: secret } } });
      logger.child({ fields: { nested: { password: secret } } }).warn('retry');
      logger.error(Object.assign(new Error('denied'), { password: secret }));
      assert.equal(await logger.flush(), true);
      assert.equal(lines().length, 3);
      for (const line of lines()) assert.ok(!line.includes(secret), line);
      const first = JSON.parse(lines()[0] as string) as Record<string, any>;
      assert.equal(first['password'], '[Redacted]');
      assert.equal(first['cookie'], '[Redacted]');
      assert.equal(first['request']['headers']['Cookie'], '[Redacted]');
      assert.equal(first['user'], 'ann');
      assert.throws(() => listener.logger({ producer: 'r2', redact: { keys: [''] } }), /redact\.keys\[0\] must be a non-empty string/);
      await listener.stop();
    });

    t.test('redaction by path configured on the logger: only the named places are censored before the queue', async () => {
      const secret = 'correct-horse-battery-staple';
      const { logger, listener, lines } = setup({
        name: 'auth',
        redact: { paths: ['req.headers.cookie', 'users.*.token'] },
        fields: { req: { headers: { cookie: secret } } },
      });
      logger.info('login', { users: [{ name: 'ann', token: secret }], token: 'not on a path' });
      assert.equal(await logger.flush(), true);
      const [line] = lines();
      assert.ok(line !== undefined && !line.includes(secret), line);
      const record = JSON.parse(line) as Record<string, any>;
      assert.deepEqual(record['req'], { headers: { cookie: '[Redacted]' } });
      assert.deepEqual(record['users'], [{ name: 'ann', token: '[Redacted]' }]);
      assert.equal(record['token'], 'not on a path');
      assert.throws(() => listener.logger({ producer: 'r3', redact: { paths: ['a..b'] } }), /redact\.paths\[0\] has an empty field name/);
      await listener.stop();
    });

    t.test('flush() resolves true once the records reached the sinks', async () => {
      const { logger, listener, lines } = setup();
      for (let index = 0; index < 1_000; index++) logger.info('r', { index });
      assert.equal(await logger.flush(), true);
      assert.equal(lines().length, 1_000);
      await listener.stop();
      assert.equal(await logger.flush(), false, 'after stop the channel is gone');
      assert.doesNotThrow(() => logger.info('after stop'));
    });
  });
}
