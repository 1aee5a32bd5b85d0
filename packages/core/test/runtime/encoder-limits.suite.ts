import assert from 'node:assert/strict';
import { RecordEncoder, renderValue, resolveEncodeLimits } from '@tributary/core';
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
    });
  });
}
