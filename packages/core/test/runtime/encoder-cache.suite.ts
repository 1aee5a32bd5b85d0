import assert from 'node:assert/strict';
import { RecordEncoder } from '@tributary/core/adapter';
import type { TestApi } from '@tributary/core/testing';

type Row = Record<string, unknown>;

/**
 * The encoder keeps what repeats from record to record (quoted field names, the message, the time and
 * logger parts): what it writes must not depend on what it wrote before.
 */
export default function suite(t: TestApi): void {
  t.describe('encoder caches', () => {
    t.test('field names seen before keep their renaming and redaction, at every depth and in any case', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 }, undefined, { keys: ['password'] });
      for (let round = 0; round < 3; round++) {
        const line = encoder.encode('info', 'm', '"n"', round + 1, '', {
          seq: 'mine',
          password: 'a',
          Password: 'b',
          nested: { seq: 1, password: 'c', PASSWORD: 'd', list: [{ password: 'e' }] },
        });
        const record = JSON.parse(line) as Row;
        assert.equal(record['seq'], round + 1);
        assert.equal(record['_seq'], 'mine');
        assert.equal(record['password'], '[Redacted]');
        assert.equal(record['Password'], '[Redacted]');
        assert.deepEqual(record['nested'], { seq: 1, password: '[Redacted]', PASSWORD: '[Redacted]', list: [{ password: '[Redacted]' }] });
      }
    });

    t.test('a name first seen nested is still renamed at the top, and one first seen at the top is not renamed nested', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 });
      const first = JSON.parse(encoder.encode('info', 'm', '"n"', 1, '', { inner: { pid: 'x', msg: 'y' } })) as Row;
      assert.deepEqual(first['inner'], { pid: 'x', msg: 'y' });
      const second = JSON.parse(encoder.encode('info', 'm', '"n"', 2, '', { pid: 'x', inner: { pid: 'z' } })) as Row;
      assert.equal(second['pid'], 1);
      assert.equal(second['_pid'], 'x');
      assert.deepEqual(second['inner'], { pid: 'z' });
    });

    t.test('thousands of distinct field names, long names and awkward names are written right every time', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 }, undefined, { keys: ['secret'] });
      const long = 'k'.repeat(200);
      for (let index = 0; index < 5_000; index++) {
        const fields: Row = { [`key${index}`]: index, [long]: 'long', 'q"uote\u2028': index % 7, secret: 's', level: 'l' };
        const record = JSON.parse(encoder.encode('info', `m${index % 5}`, '"n"', index + 1, '', fields)) as Row;
        assert.equal(record[`key${index}`], index);
        assert.equal(record[long], 'long');
        assert.equal(record['q"uote\u2028'], index % 7);
        assert.equal(record['secret'], '[Redacted]');
        assert.equal(record['level'], 'info');
        assert.equal(record['_level'], 'l');
        assert.equal(record['msg'], `m${index % 5}`);
      }
    });

    t.test('message, time, level, logger and bound fields change from one record to the next', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 });
      const calls: [string, string, string, string, number][] = [
        ['info', 'a', '"x"', '', 0],
        ['info', 'a', '"x"', '', 0],
        ['warn', 'a', '"x"', '', 0],
        ['warn', 'b', '"y"', ',"b":1', 0],
        ['warn', 'b', '"y"', ',"b":1', 1],
        ['info', 'b', '"x"', '', 1],
        ['info', 'b'.repeat(1000), '"x"', '', 1],
        ['info', 'b', '"x"', '', 2],
      ];
      for (const [index, [level, msg, logger, bound, now]] of calls.entries()) {
        const record = JSON.parse(encoder.encode(level as 'info', msg, logger, index + 1, bound, { i: index }, now)) as Row;
        assert.equal(record['time'], new Date(now).toISOString());
        assert.equal(record['level'], level);
        assert.equal(record['msg'], msg);
        assert.equal(record['logger'], JSON.parse(logger));
        assert.equal(record['b'], bound === '' ? undefined : 1);
        assert.equal(record['i'], index);
      }
    });
  });
}
