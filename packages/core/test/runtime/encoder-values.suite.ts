import assert from 'node:assert/strict';
import { CORE_FIELDS, RecordEncoder, levelOfLine } from '@tributary/core/adapter';
import type { TestApi } from '@tributary/core/testing';
import { encodeWith, parseLine, field, throwingTraps } from './encoder-fixtures.ts';

/** The record encoder: record shape and hostile values. */
export default function suite(t: TestApi): void {
  t.describe('record encoder: record shape', () => {
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
      assert.equal(
        field(function named() {}),
        '[Function named]',
      );
      assert.equal(
        field(() => {}),
        '[Function anonymous]',
      );
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
      assert.deepEqual(
        field(
          new Map<unknown, unknown>([
            ['a', 1],
            [{ k: 1 }, [2]],
          ]),
        ),
        [
          ['a', 1],
          [{ k: 1 }, [2]],
        ],
      );
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
}
