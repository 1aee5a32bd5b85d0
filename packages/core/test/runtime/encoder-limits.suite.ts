import assert from 'node:assert/strict';
import { RecordEncoder, renderValue, resolveEncodeLimits } from '@tributary/core/adapter';
import type { EncodeLimits } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';
import { throwingTraps } from './encoder-fixtures.ts';

/** The record encoder: renderValue and limits. */
export default function suite(t: TestApi): void {
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
      assert.throws(() => resolveEncodeLimits({ maxRecordLength: 4_095 }), /limits\.maxRecordLength must be at least 4096; got 4095/);
      assert.throws(() => resolveEncodeLimits({ maxRecordLength: 1.5 }), /limits\.maxRecordLength must be a positive integer/);
      assert.equal(resolveEncodeLimits(undefined).maxRecordLength, 16_777_216);
    });

    t.test('a record over maxRecordLength keeps its own fields and its place, and says what was left out', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 7 }, { maxRecordLength: 10_000 });
      const quotedLogger = encoder.quoteName('app');
      const bound = encoder.fieldsFragment({ region: 'eu' });
      const fields = Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`f${index}`, 'x'.repeat(1_000)]));
      const line = encoder.encode('warn', 'm'.repeat(2_000), quotedLogger, 42, bound, fields);
      assert.ok(line.length <= 10_000, `${line.length} characters`);
      const record = JSON.parse(line) as Record<string, unknown>;
      assert.deepEqual(Object.keys(record), ['time', 'level', 'msg', 'logger', 'producer', 'seq', 'pid', '_truncated']);
      assert.equal(record['level'], 'warn');
      assert.equal(record['msg'], 'm'.repeat(1_024));
      assert.deepEqual([record['logger'], record['producer'], record['seq'], record['pid']], ['app', 'p', 42, 7]);
      assert.match(String(record['_truncated']), /^record of \d+ characters, over limits\.maxRecordLength \(10000\): its fields were left out$/);
      // Just under the limit, nothing is left out; the next record is whole again.
      const small = JSON.parse(encoder.encode('info', 'ok', quotedLogger, 43, bound, { f: 'x'.repeat(8_000) })) as Record<string, unknown>;
      assert.equal(small['f'], 'x'.repeat(8_000));
      assert.equal(small['region'], 'eu');
    });
  });
}
