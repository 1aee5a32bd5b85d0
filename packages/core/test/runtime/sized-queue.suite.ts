import assert from 'node:assert/strict';
import { SizedQueue } from '@tributary/core/sink';
import type { TestApi } from '@tributary/core/testing';

const item = (id: number, bytes: number): { id: number; bytes: number } => ({ id, bytes });
const ids = (items: readonly { id: number }[]): number[] => items.map((entry) => entry.id);

export default function sizedQueueSuite(t: TestApi): void {
  t.describe('SizedQueue (the sink kit)', () => {
    t.test('counts items and bytes; takes from the front, oldest first, while the test says yes', () => {
      const queue = new SizedQueue<{ id: number; bytes: number }>();
      for (let id = 1; id <= 5; id++) queue.push(item(id, 10));
      assert.equal(queue.length, 5);
      assert.equal(queue.bytes, 50);
      let size = 0;
      const taken = queue.takeWhile((next) => {
        size += next.bytes;
        return size <= 25;
      });
      assert.deepEqual(ids(taken), [1, 2]);
      assert.equal(queue.length, 3);
      assert.equal(queue.bytes, 30);
    });

    t.test('the first item is taken even when the test refuses it, so a large one never blocks', () => {
      const queue = new SizedQueue<{ id: number; bytes: number }>();
      queue.push(item(1, 1_000));
      queue.push(item(2, 1));
      assert.deepEqual(ids(queue.takeWhile(() => false)), [1]);
      assert.deepEqual(ids(queue.takeWhile(() => true)), [2]);
      assert.equal(queue.bytes, 0);
    });

    t.test('unshift puts items back in front in their order; trimTo drops from the back and counts', () => {
      const queue = new SizedQueue<{ id: number; bytes: number }>();
      for (let id = 3; id <= 6; id++) queue.push(item(id, 5));
      queue.unshift([item(1, 5), item(2, 5)]);
      assert.equal(queue.bytes, 30);
      assert.equal(queue.trimTo(4, 1_000), 2);
      assert.equal(queue.trimTo(10, 12), 2);
      assert.deepEqual(ids(queue.takeAll()), [1, 2]);
      assert.equal(queue.length, 0);
      assert.equal(queue.bytes, 0);
    });

    t.test('a long run of pushes and takes keeps every item once, in order', () => {
      const queue = new SizedQueue<{ id: number; bytes: number }>();
      const seen: number[] = [];
      let next = 1;
      for (let round = 0; round < 50; round++) {
        for (let index = 0; index < 400; index++) queue.push(item(next++, 1));
        seen.push(...ids(queue.takeWhile((_, taken) => taken < 300)));
      }
      seen.push(...ids(queue.takeAll()));
      assert.deepEqual(
        seen,
        Array.from({ length: next - 1 }, (_, index) => index + 1),
      );
      assert.equal(queue.clear(), 0);
    });
  });
}
