import assert from 'node:assert/strict';
import { RecordEncoder, quoteString } from '@tributary/core/adapter';
import type { TestApi } from '@tributary/core/testing';

/** The encoder's fast paths (plain ASCII strings, plain objects) give exactly what the slow paths give. */
export default function suite(t: TestApi): void {
  t.describe('encoder fast paths', () => {
    t.test('quoteString equals JSON.stringify for every ASCII character, around the fast-path length limit', () => {
      for (let code = 0; code < 128; code++) {
        for (const length of [1, 255, 256, 257]) {
          const text = `a${String.fromCharCode(code)}`.repeat(Math.ceil(length / 2)).slice(0, length);
          assert.equal(quoteString(text, 1_000_000), JSON.stringify(text), `char ${code}, length ${length}`);
        }
      }
      assert.equal(quoteString('', 10), '""');
      assert.equal(quoteString('ünïcødé 🎉', 100), JSON.stringify('ünïcødé 🎉'));
    });

    t.test('plain objects, null-prototype objects and objects with an own toJSON render as JSON would', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 });
      const bare = Object.assign(Object.create(null) as object, { a: 1, b: 'x"y' });
      const fields = { plain: { a: [1, 'two', { three: 3 }], q: 'quote " and \\ backslash' }, bare, own: { toJSON: () => 'replaced' }, n: null };
      const record = JSON.parse(encoder.encode('info', 'm', '"n"', 1, '', fields)) as Record<string, unknown>;
      assert.deepEqual(record['plain'], fields.plain);
      assert.deepEqual(record['bare'], { a: 1, b: 'x"y' });
      assert.equal(record['own'], 'replaced');
      assert.equal(record['n'], null);
    });

    t.test('a getter that logs while a record is rendered gets its own renderer (no false [Circular])', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 });
      let inner = '';
      const shared = {
        id: 7,
        get sneaky(): string {
          if (inner === '') {
            inner = 'pending';
            inner = encoder.encode('info', 'inner', '"n"', 2, '', { shared });
          }
          return 'ok';
        },
      };
      const outer = JSON.parse(encoder.encode('info', 'outer', '"n"', 1, '', { shared })) as Record<string, unknown>;
      assert.deepEqual(outer['shared'], { id: 7, sneaky: 'ok' });
      const innerRecord = JSON.parse(inner) as Record<string, unknown>;
      assert.deepEqual(innerRecord['shared'], { id: 7, sneaky: 'ok' });
    });
  });
}
