import assert from 'node:assert/strict';
import { CORE_FIELDS, RecordEncoder, levelOfLine, renderValue, resolveEncodeLimits } from '@tributary/core';
import type { EncodeLimits, LevelName, RedactOptions } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';

/** One record through the encoder, with user fields. */
function encodeWith(fields: unknown, limits?: EncodeLimits, msg = 'm', level: LevelName = 'info'): string {
  const encoder = new RecordEncoder({ producer: 'p', pid: 42 }, limits);
  return encoder.encode(level, msg, encoder.quoteName('app'), 7, '', fields, Date.UTC(2026, 10, 26, 23, 20, 50, 123));
}

/** Checks the line is one line, valid UTF-8 once encoded, and parses; returns the record. */
function parseLine(line: string): Record<string, unknown> {
  assert.ok(!line.includes('\n') && !line.includes('\r'), `raw line break in ${line.slice(0, 200)}`);
  // TextEncoder turns a lone surrogate into U+FFFD, so the round trip below fails on one.
  const bytes = new TextEncoder().encode(line);
  const decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  assert.equal(decoded, line);
  const value: unknown = JSON.parse(decoded);
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value));
  return value as Record<string, unknown>;
}

/** The record's field `key` for one user value `value`. */
function field(value: unknown, limits?: EncodeLimits): unknown {
  return parseLine(encodeWith({ value }, limits))['value'];
}

const throwingTraps: ProxyHandler<object> = Object.fromEntries(
  ['get', 'set', 'has', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'defineProperty', 'deleteProperty', 'apply', 'construct', 'isExtensible', 'preventExtensions', 'setPrototypeOf'].map(
    (trap) => [trap, () => { throw new Error(`trap ${trap} refused`); }],
  ),
);

/** The encoder's contract: every value, however hostile, gives exactly one parseable line with the documented rendering. */
export default function suite(t: TestApi): void {
  t.describe('record encoder: record shape (DESIGN.md)', () => {
    t.test('core fields in order: time (ISO UTC ms), level, msg, logger, producer, seq, pid, then user fields', () => {
      const line = encodeWith({ user: 1 });
      const record = parseLine(line);
      assert.deepEqual(Object.keys(record), [...CORE_FIELDS, 'user']);
      assert.deepEqual(record, { time: '2026-11-26T23:20:50.123Z', level: 'info', msg: 'm', logger: 'app', producer: 'p', seq: 7, pid: 42, user: 1 });
      assert.match(String(record['time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });

    t.test('the time defaults to now, in UTC with milliseconds', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 });
      const before = Date.now();
      const record = parseLine(encoder.encode('warn', 'x', encoder.quoteName(''), 1, '', undefined));
      const after = Date.now();
      const time = Date.parse(String(record['time']));
      assert.ok(time >= before && time <= after);
      assert.match(String(record['time']), /Z$/);
    });

    t.test('every level name is written as is and read back at its known offset', () => {
      for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
        const line = encodeWith(undefined, undefined, 'm', level);
        assert.equal(parseLine(line)['level'], level);
        assert.equal(levelOfLine(line), level);
      }
      assert.equal(levelOfLine('{"level":"info"}'), undefined);
      assert.equal(levelOfLine('not json at all, long enough to reach the level offset ....'), undefined);
    });

    t.test('user fields named like core fields never replace them: written with a leading underscore', () => {
      const hostile = { time: 'yesterday', level: 'fatal', msg: 'forged', logger: 'root', producer: 'evil', seq: -1, pid: 1 };
      const record = parseLine(encodeWith(hostile));
      assert.equal(record['time'], '2026-11-26T23:20:50.123Z');
      assert.equal(record['level'], 'info');
      assert.equal(record['msg'], 'm');
      assert.equal(record['logger'], 'app');
      assert.equal(record['producer'], 'p');
      assert.equal(record['seq'], 7);
      assert.equal(record['pid'], 42);
      for (const [key, value] of Object.entries(hostile)) assert.equal(record[`_${key}`], value);
    });

    t.test('bound fields are renamed the same way', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 });
      const bound = encoder.fieldsFragment({ seq: 99, service: 'api' });
      const record = parseLine(encoder.encode('info', 'm', encoder.quoteName('a'), 3, bound, { level: 'x' }));
      assert.equal(record['seq'], 3);
      assert.equal(record['_seq'], 99);
      assert.equal(record['_level'], 'x');
      assert.equal(record['service'], 'api');
    });

    t.test('fields that are not an object are kept under _fields, not dropped', () => {
      assert.equal(parseLine(encodeWith('just text'))['_fields'], 'just text');
      assert.equal(parseLine(encodeWith(12))['_fields'], 12);
      assert.equal(parseLine(encodeWith(null))['_fields'], undefined);
      assert.deepEqual(Object.keys(parseLine(encodeWith(undefined))), [...CORE_FIELDS]);
    });

    t.test('fields whose keys are not their content are kept whole: Error as err, the rest as _fields', () => {
      const error = parseLine(encodeWith(new TypeError('bad input')));
      assert.equal((error['err'] as Record<string, unknown>)['name'], 'TypeError');
      assert.equal((error['err'] as Record<string, unknown>)['message'], 'bad input');
      assert.deepEqual(parseLine(encodeWith([1, 'two']))['_fields'], [1, 'two']);
      assert.deepEqual(parseLine(encodeWith(new Map([['k', 1]])))['_fields'], [['k', 1]]);
      assert.deepEqual(parseLine(encodeWith(new Set(['s'])))['_fields'], ['s']);
      assert.equal(parseLine(encodeWith(new Date(0)))['_fields'], '1970-01-01T00:00:00.000Z');
      assert.deepEqual(parseLine(encodeWith(new Uint8Array([7])))['_fields'], [7]);
      assert.deepEqual(parseLine(encodeWith({ toJSON: () => ({ a: 1 }) }))['_fields'], { a: 1 });
      class Request {
        readonly method = 'GET';
      }
      assert.equal(parseLine(encodeWith(new Request()))['method'], 'GET', 'a class instance gives its fields');
    });

    t.test('a non-finite time or pid still gives a valid record', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: Number.NaN });
      const record = parseLine(encoder.encode('info', 'm', encoder.quoteName('a'), 1, '', undefined, Number.NaN));
      assert.equal(record['pid'], 0);
      assert.equal(record['time'], '1970-01-01T00:00:00.000Z');
    });
  });

  t.describe('record encoder: hostile values', () => {
    t.test('cycles render as "[Circular]"; a shared, non-cyclic object is rendered twice', () => {
      const a: Record<string, unknown> = { name: 'a' };
      a['self'] = a;
      const list: unknown[] = [1];
      list.push(list);
      const shared = { x: 1 };
      assert.deepEqual(field(a), { name: 'a', self: '[Circular]' });
      assert.deepEqual(field(list), [1, '[Circular]']);
      assert.deepEqual(field({ one: shared, two: shared }), { one: { x: 1 }, two: { x: 1 } });
    });

    t.test('BigInt, Symbol, functions, undefined, NaN and infinities', () => {
      assert.equal(field(12345678901234567890n), '12345678901234567890');
      assert.equal(field(Symbol('tag')), 'Symbol(tag)');
      assert.equal(field(Symbol()), 'Symbol()');
      assert.equal(field(function named() {}), '[Function named]');
      assert.equal(field(() => {}), '[Function anonymous]');
      const namedArrow = (): void => {};
      assert.equal(field(namedArrow), '[Function namedArrow]');
      assert.equal(field(Object.assign(() => {}, { toString: 1 })), '[Function anonymous]');
      const record = parseLine(encodeWith({ gone: undefined, kept: 1 }));
      assert.equal('gone' in record, false);
      assert.deepEqual(field([undefined, 1]), [null, 1]);
      assert.deepEqual(field([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0]), ['NaN', 'Infinity', '-Infinity', 0]);
      assert.deepEqual(field(Object(5n)), {});
    });

    t.test('a throwing getter becomes "[Throws: message]" in place of that value only', () => {
      const value = {
        before: 1,
        get bad(): unknown {
          throw new Error('getter exploded');
        },
        after: 2,
      };
      assert.deepEqual(field(value), { before: 1, bad: '[Throws: getter exploded]', after: 2 });
      const throwsString = {
        get bad(): unknown {
          throw 'a plain string';
        },
      };
      assert.deepEqual(field(throwsString), { bad: '[Throws: a plain string]' });
    });

    t.test('toJSON is honoured; a throwing toJSON becomes a marker', () => {
      assert.deepEqual(field({ toJSON: () => ({ replaced: true }) }), { replaced: true });
      assert.equal(
        field({
          toJSON() {
            throw new TypeError('no JSON for you');
          },
        }),
        '[Throws: no JSON for you]',
      );
      const selfish: Record<string, unknown> = {};
      selfish['toJSON'] = () => selfish;
      assert.equal(field(selfish), '[Circular]');
      const endless = { toJSON: (): unknown => endless2 };
      const endless2 = { toJSON: (): unknown => ({ again: endless }) };
      const line = encodeWith({ value: endless });
      parseLine(line);
    });

    t.test('Proxies: transparent, revoked, and with every trap throwing', () => {
      assert.deepEqual(field(new Proxy({ a: 1 }, {})), { a: 1 });
      const { proxy, revoke } = Proxy.revocable({ a: 1 }, {});
      revoke();
      assert.match(String(field(proxy)), /^\[Throws: .*revoked/);
      assert.match(String(field(new Proxy({}, throwingTraps))), /^\[Throws: trap \w+ refused\]$/);
      assert.match(String(field(new Proxy([], throwingTraps))), /^\[Throws: trap \w+ refused\]$/);
      assert.match(String(field(new Proxy(() => {}, throwingTraps))), /^\[Throws: trap \w+ refused\]$/);
      // As the fields object itself.
      const record = parseLine(encodeWith(new Proxy({}, throwingTraps)));
      assert.match(String(record['_fields']), /^\[Throws: trap \w+ refused\]$/);
      const revokedFields = Proxy.revocable({}, {});
      revokedFields.revoke();
      assert.match(String(parseLine(encodeWith(revokedFields.proxy))['_fields']), /^\[Throws: /);
    });

    t.test('lone surrogates: the line is well-formed UTF-8 and parses back to the same string', () => {
      for (const text of ['\ud800', 'a\udfffb', '\udc00\ud800', `end${'\ud83d'}`, 'pair 🎉 ok']) {
        const line = encodeWith({ [text]: text }, undefined, text);
        const record = parseLine(line);
        assert.equal(record['msg'], text);
        assert.equal(record[text], text);
      }
      const encoder = new RecordEncoder({ producer: '\ud800', pid: 1 });
      const record = parseLine(encoder.encode('info', 'm', encoder.quoteName('\udfff'), 1, '', undefined));
      assert.equal(record['producer'], '\ud800');
      assert.equal(record['logger'], '\udfff');
    });

    t.test('a producer id with line separators, or not a string, still gives one valid line with a string producer', () => {
      for (const producer of ['w\u2028x', 'line\nbreak', 5 as unknown as string]) {
        const encoder = new RecordEncoder({ producer, pid: 1 });
        const line = encoder.encode('info', 'm', encoder.quoteName('a'), 1, '', undefined);
        assert.ok(!/[\n\u2028]/.test(line));
        assert.equal(parseLine(line)['producer'], String(producer));
      }
    });

    t.test('raw line breaks and controls in strings and keys are escaped; U+2028/2029 too', () => {
      const text = 'a\nb\rc\u0000d\u001be\u2028f\u2029g\u0085h';
      const record = parseLine(encodeWith({ [text]: text }, undefined, text));
      assert.equal(record['msg'], text);
      assert.equal(record[text], text);
      const line = encodeWith({ [text]: text }, undefined, text);
      assert.ok(!/[\u0000-\u001f\u0085\u2028\u2029]/.test(line), 'no raw control or line separator in the line');
    });

    t.test('Map and Set render as arrays', () => {
      assert.deepEqual(field(new Map<unknown, unknown>([['a', 1], [{ k: 1 }, [2]]])), [['a', 1], [{ k: 1 }, [2]]]);
      assert.deepEqual(field(new Set([1, 'two', 3n])), [1, 'two', '3']);
      const map = new Map<string, unknown>();
      map.set('self', map);
      assert.deepEqual(field(map), [['self', '[Circular]']]);
    });

    t.test('Dates, valid and invalid', () => {
      assert.equal(field(new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6))), '2020-01-02T03:04:05.006Z');
      assert.equal(field(new Date(Number.NaN)), 'Invalid Date');
      assert.equal(field(new Date(8.64e15 + 1)), 'Invalid Date');
    });

    t.test('typed arrays, ArrayBuffer, DataView', () => {
      assert.deepEqual(field(new Uint8Array([1, 2, 255])), [1, 2, 255]);
      assert.deepEqual(field(new Float64Array([0.5, Number.NaN])), [0.5, 'NaN']);
      assert.deepEqual(field(new BigInt64Array([-1n, 2n])), ['-1', '2']);
      assert.equal(field(new ArrayBuffer(16)), '[ArrayBuffer 16 bytes]');
      assert.equal(field(new DataView(new ArrayBuffer(8))), '[DataView 8 bytes]');
      if (typeof SharedArrayBuffer !== 'undefined') assert.equal(field(new SharedArrayBuffer(4)), '[SharedArrayBuffer 4 bytes]');
      const many = field(new Uint8Array(5), { maxItems: 3 });
      assert.deepEqual(many, [0, 0, 0, '…[2 more items]']);
    });

    t.test('deep nesting stops at maxDepth with "[Object]" / "[Array]"; the record\'s own fields are depth 1', () => {
      assert.deepEqual(parseLine(encodeWith({ a: { b: 1 }, c: [1] }, { maxDepth: 1 })), {
        ...parseLine(encodeWith(undefined, { maxDepth: 1 })),
        a: '[Object]',
        c: '[Array]',
      });
      // fields object: depth 1; `value`: 2; `b`: 3; `c` would be 4.
      assert.deepEqual(field({ b: { c: { d: 1 } } }, { maxDepth: 3 }), { b: { c: '[Object]' } });
      let deep: Record<string, unknown> = { leaf: true };
      for (let index = 0; index < 100_000; index++) deep = { deep };
      const line = encodeWith({ deep });
      parseLine(line);
      assert.ok(line.length < 1_000, 'default depth 10 keeps the line short');
      let deepArray: unknown[] = [];
      for (let index = 0; index < 100_000; index++) deepArray = [deepArray];
      parseLine(encodeWith({ deepArray }));
    });

    t.test('huge strings are cut with a visible marker; a surrogate pair is never split', () => {
      const huge = 'x'.repeat(5_000);
      const text = String(field(huge, { maxStringLength: 1_000 }));
      assert.equal(text, `${'x'.repeat(1_000)}…[truncated 4000 chars]`);
      const record = parseLine(encodeWith({}, { maxStringLength: 10 }, 'y'.repeat(25)));
      assert.equal(record['msg'], `${'y'.repeat(10)}…[truncated 15 chars]`);
      const emoji = String(field(`${'a'.repeat(9)}🎉🎉`, { maxStringLength: 10 }));
      assert.equal(emoji, `${'a'.repeat(9)}…[truncated 4 chars]`);
      const longKey = 'k'.repeat(50);
      const keyed = parseLine(encodeWith({ [longKey]: 1 }, { maxStringLength: 10 }));
      assert.equal(keyed[`${'k'.repeat(10)}…[truncated 40 chars]`], 1);
      assert.equal(String(field('z'.repeat(2_000_000))).endsWith('…[truncated 951424 chars]'), true, 'default limit is 1 Mi');
    });

    t.test('wide objects and arrays keep maxItems entries and say how many were left out', () => {
      const wide = Object.fromEntries(Array.from({ length: 5 }, (_, index) => [`k${index}`, index]));
      assert.deepEqual(field(wide, { maxItems: 2 }), { k0: 0, k1: 1, '…': '[3 more keys]' });
      assert.deepEqual(field([1, 2, 3, 4], { maxItems: 2 }), [1, 2, '…[2 more items]']);
      assert.deepEqual(field(new Set([1, 2, 3]), { maxItems: 1 }), [1, '…[2 more items]']);
    });

    t.test('objects with a null prototype, class instances, boxed primitives, RegExp', () => {
      const bare = Object.create(null) as Record<string, unknown>;
      bare['a'] = 1;
      assert.deepEqual(field(bare), { a: 1 });
      class Point {
        constructor(
          readonly x: number,
          readonly y: number,
        ) {}
      }
      assert.deepEqual(field(new Point(1, 2)), { x: 1, y: 2 });
      assert.deepEqual(field(/re/g), {});
      assert.deepEqual(field(Object('str')), { 0: 's', 1: 't', 2: 'r' });
      assert.deepEqual(field({ [Symbol('hidden')]: 1, shown: 2 }), { shown: 2 });
      const nullProtoFields = Object.create(null) as Record<string, unknown>;
      nullProtoFields['seq'] = 1;
      assert.equal(parseLine(encodeWith(nullProtoFields))['_seq'], 1);
    });
  });

  t.describe('record encoder: errors', () => {
    t.test('an Error gives name, message, stack; own extra fields follow', () => {
      class HttpError extends Error {
        override readonly name = 'HttpError';
        readonly status = 503;
        readonly nested = { retry: true };
      }
      const error = new HttpError('upstream down');
      const value = field(error) as Record<string, unknown>;
      assert.equal(value['name'], 'HttpError');
      assert.equal(value['message'], 'upstream down');
      assert.match(String(value['stack']), /upstream down/);
      assert.equal(value['status'], 503);
      assert.deepEqual(value['nested'], { retry: true });
      assert.deepEqual(Object.keys(value).slice(0, 3), ['name', 'message', 'stack']);
    });

    t.test('cause chains, recursively, and cyclic causes', () => {
      const root = new Error('root', { cause: { code: 'ECONNRESET' } });
      const middle = new Error('middle', { cause: root });
      const top = new TypeError('top', { cause: middle });
      const value = field(top) as Record<string, any>;
      assert.equal(value['name'], 'TypeError');
      assert.equal(value['cause']['message'], 'middle');
      assert.equal(value['cause']['cause']['message'], 'root');
      assert.deepEqual(value['cause']['cause']['cause'], { code: 'ECONNRESET' });

      const a = new Error('a');
      const b = new Error('b', { cause: a });
      (a as { cause?: unknown }).cause = b;
      const cyclic = field(a) as Record<string, any>;
      assert.equal(cyclic['cause']['message'], 'b');
      assert.equal(cyclic['cause']['cause'], '[Circular]');
      const self = new Error('self');
      (self as { cause?: unknown }).cause = self;
      assert.equal((field(self) as Record<string, unknown>)['cause'], '[Circular]');
      const primitiveCause = new Error('x', { cause: 'just a string' });
      assert.equal((field(primitiveCause) as Record<string, unknown>)['cause'], 'just a string');
    });

    t.test('AggregateError members are rendered under errors', () => {
      const aggregate = new AggregateError([new Error('one'), new RangeError('two'), 'three'], 'several');
      const value = field(aggregate) as Record<string, any>;
      assert.equal(value['name'], 'AggregateError');
      assert.equal(value['message'], 'several');
      assert.equal(value['errors'].length, 3);
      assert.equal(value['errors'][0]['message'], 'one');
      assert.equal(value['errors'][1]['name'], 'RangeError');
      assert.equal(value['errors'][2], 'three');
    });

    t.test('errors with throwing getters, no stack, or a hostile name still render', () => {
      const error = new Error('base');
      Object.defineProperty(error, 'message', {
        get() {
          throw new Error('message getter');
        },
      });
      Object.defineProperty(error, 'extra', {
        enumerable: true,
        get() {
          throw new Error('extra getter');
        },
      });
      const value = field(error) as Record<string, unknown>;
      assert.equal(value['message'], '[Throws: message getter]');
      assert.equal(value['extra'], '[Throws: extra getter]');
      const bare = new Error('no stack');
      delete (bare as { stack?: string }).stack;
      Object.defineProperty(bare, 'stack', { value: undefined });
      assert.equal((field(bare) as Record<string, unknown>)['message'], 'no stack');
      const named = new Error('n');
      (named as { name: unknown }).name = { toString: () => { throw new Error('no'); } };
      assert.deepEqual((field(named) as Record<string, unknown>)['name'], { toString: '[Function toString]' });
    });

    t.test('an error deep in a structure obeys the depth limit', () => {
      const value = field({ a: { error: new Error('deep') } }, { maxDepth: 3 }) as Record<string, any>;
      assert.equal(value['a']['error'], '[Object]');
    });
  });

  t.describe('record encoder: redaction', () => {
    const SECRET = 'hunter2-SECRET';
    const redactedLine = (fields: unknown, redact: RedactOptions, bound?: unknown): string => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 }, undefined, redact);
      const fragment = bound === undefined ? '' : encoder.fieldsFragment(bound);
      return encoder.encode('info', 'login', encoder.quoteName('auth'), 1, fragment, fields);
    };

    t.test('configured keys are censored at any depth and in any case; the secret never appears in the line', () => {
      class Credentials {
        readonly user = 'ann';
        readonly Password = SECRET;
      }
      const error = Object.assign(new Error('denied'), { token: SECRET });
      const fields = {
        password: SECRET,
        PASSWORD: SECRET,
        user: { name: 'ann', Token: SECRET, deeper: [{ password: SECRET, keep: 1 }] },
        headers: new Map<unknown, unknown>([['Authorization', `Bearer ${SECRET}`], ['accept', 'json'], [1, 'numeric key']]),
        creds: new Credentials(),
        err: error,
        viaToJSON: { toJSON: () => ({ token: SECRET }) },
      };
      const line = redactedLine(fields, { keys: ['password', 'token', 'authorization'] });
      assert.ok(!line.includes(SECRET), line);
      const record = parseLine(line);
      assert.equal(record['password'], '[Redacted]');
      assert.equal(record['PASSWORD'], '[Redacted]');
      assert.deepEqual(record['user'], { name: 'ann', Token: '[Redacted]', deeper: [{ password: '[Redacted]', keep: 1 }] });
      assert.deepEqual(record['headers'], [['Authorization', '[Redacted]'], ['accept', 'json'], [1, 'numeric key']]);
      assert.deepEqual(record['creds'], { user: 'ann', Password: '[Redacted]' });
      assert.equal((record['err'] as Record<string, unknown>)['token'], '[Redacted]');
      assert.equal((record['err'] as Record<string, unknown>)['message'], 'denied');
      assert.deepEqual(record['viaToJSON'], { token: '[Redacted]' });
    });

    t.test('a custom censor; bound fields; core fields are never censored; a censored getter is never read', () => {
      let read = 0;
      const fields = {
        get secret(): string {
          read += 1;
          return SECRET;
        },
        msg: SECRET,
      };
      const line = redactedLine(fields, { keys: ['secret', 'msg', 'level', 'apiKey'], censor: '***' }, { apikey: SECRET, service: 'api' });
      assert.ok(!line.includes(SECRET), line);
      assert.equal(read, 0);
      const record = parseLine(line);
      assert.equal(record['secret'], '***');
      assert.equal(record['_msg'], '***');
      assert.equal(record['msg'], 'login');
      assert.equal(record['level'], 'info');
      assert.equal(record['apikey'], '***');
      assert.equal(record['service'], 'api');
    });

    t.test('bad redaction options throw a clear error at configuration time', () => {
      const make = (redact: unknown) => () => new RecordEncoder({ producer: 'p', pid: 1 }, undefined, redact as RedactOptions);
      assert.throws(make({ keys: 'password' }), /redact\.keys must be an array of field names/);
      assert.throws(make({ keys: ['ok', ''] }), /redact\.keys\[1\] must be a non-empty string/);
      assert.throws(make({ keys: [42] }), /redact\.keys\[0\] must be a non-empty string; got 42/);
      assert.throws(make({ keys: ['a'], censor: 0 }), /redact\.censor must be a string/);
      assert.throws(make('password'), /redact must be an object/);
      assert.doesNotThrow(make({ keys: [] }));
    });

    t.test('renderValue takes the same redaction', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 }, undefined, { keys: ['pin'] });
      assert.equal(renderValue({ a: { PIN: 1234 } }, encoder.limits, encoder.redaction), '{"a":{"PIN":"[Redacted]"}}');
    });
  });

  t.describe('renderValue and limits', () => {
    t.test('renderValue gives JSON text for any value, never throws', () => {
      const limits = resolveEncodeLimits(undefined);
      const values: unknown[] = [undefined, null, 1, 'x', Symbol('s'), 1n, new Proxy({}, throwingTraps), () => {}];
      for (const value of values) JSON.parse(renderValue(value, limits));
      assert.equal(renderValue(undefined, limits), 'null');
    });

    t.test('bad limits throw a clear error at configuration time', () => {
      assert.throws(() => new RecordEncoder({ producer: 'p', pid: 1 }, { maxDepth: 0 }), /limits\.maxDepth must be a positive integer; got 0/);
      assert.throws(() => resolveEncodeLimits({ maxItems: 1.5 }), /maxItems/);
      assert.throws(() => resolveEncodeLimits({ maxStringLength: Number.NaN }), /maxStringLength/);
      assert.deepEqual(resolveEncodeLimits({ maxDepth: undefined } as unknown as EncodeLimits), resolveEncodeLimits(undefined));
    });
  });
}
