import assert from 'node:assert/strict';
import { LogChecker } from '@tributary/core';
import type { LogCheck } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';

/** One record line of `producer` (pid 7 unless given). */
const line = (producer: string, seq: number, fields: Record<string, unknown> = {}): string =>
  JSON.stringify({ time: '2026-12-04T00:00:00.000Z', level: 'info', msg: `m${seq}`, logger: 'app', producer, seq, pid: 7, ...fields });
/** A `tributary.*` record of the listener (`main`). */
const notice = (seq: number, msg: string, fields: Record<string, unknown>): string => line('main', seq, { level: 'warn', msg, logger: 'tributary', ...fields });
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, index) => from + index);

function check(lines: readonly string[], options?: ConstructorParameters<typeof LogChecker>[0]): LogCheck {
  const checker = new LogChecker(options);
  for (const text of lines) checker.add(text);
  return checker.result();
}

export default function logCheckerSuite(t: TestApi): void {
  t.describe('LogChecker', () => {
    t.test('a clean output: every producer in order, nothing missing', () => {
      const lines = [...range(1, 500).map((seq) => line('w1', seq)), ...range(1, 3).map((seq) => line('w2', seq))];
      const result = check(lines);
      assert.equal(result.clean, true);
      assert.equal(result.ok, true);
      assert.equal(result.records, 503);
      assert.deepEqual(
        result.sequences.map((sequence) => [sequence.producer, sequence.records, sequence.firstSeq, sequence.lastSeq]),
        [
          ['w1', 500, 1, 500],
          ['w2', 3, 1, 3],
        ],
      );
    });

    t.test('holes, duplicates, reordering and torn lines are each counted', () => {
      const lines = [line('w1', 1), line('w1', 2), line('w1', 2), '{"time":"2026-', line('w1', 5), line('w1', 4), line('w1', 8), 'plain text'];
      const result = check(lines);
      const [w1] = result.sequences;
      assert.equal(result.torn, 2);
      assert.equal(w1?.duplicated, 1);
      assert.equal(w1?.outOfOrder, 1);
      assert.equal(w1?.missing, 3); // 3, 6, 7
      assert.deepEqual(w1?.holes, [
        { from: 3, to: 3 },
        { from: 6, to: 7 },
      ]);
      assert.equal(result.unreported, 3);
      assert.equal(result.ok, false);
    });

    t.test('a hole inside a tributary.lost range is reported; one outside it is not', () => {
      const lines = [...range(1, 10).map((seq) => line('w1', seq)), ...range(16, 20).map((seq) => line('w1', seq)), line('w1', 22)];
      lines.push(notice(1, 'tributary.lost', { lost: 5, lostProducer: 'w1', fromSeq: 11, toSeq: 15, reason: 'gap' }));
      const result = check(lines);
      const w1 = result.sequences.find((sequence) => sequence.producer === 'w1');
      assert.equal(w1?.missing, 6);
      assert.equal(w1?.reportedLost, 5);
      assert.equal(w1?.unexplained, 1);
      assert.equal(result.unreported, 1);
    });

    t.test('a reported loss after the last record found counts as missing and reported', () => {
      const lines = [line('w1', 1), line('w1', 2), notice(1, 'tributary.lost', { lost: 8, lostProducer: 'w1', fromSeq: 3, toSeq: 10, reason: 'bye' })];
      const [w1] = check(lines).sequences;
      assert.equal(w1?.lastSeq, 2);
      assert.equal(w1?.missing, 8);
      assert.equal(w1?.reportedLost, 8);
      assert.equal(check(lines).ok, true);
    });

    t.test('a report that comes before the producer’s records still applies to it', () => {
      const lines = [notice(1, 'tributary.lost', { lost: 2, lostProducer: 'w1', fromSeq: 1, toSeq: 2, reason: 'gap' }), line('w1', 3)];
      assert.equal(check(lines).unreported, 0);
    });

    t.test('an unknown loss covers the holes after its afterSeq', () => {
      const lines = [line('c1', 1), line('c1', 2), line('c1', 6), notice(1, 'tributary.lost', { lost: 'unknown', lostProducer: 'c1', afterSeq: 3 })];
      const [c1] = check(lines).sequences;
      assert.equal(c1?.missing, 3);
      assert.equal(c1?.reportedUnknown, 2);
      assert.equal(c1?.unexplained, 1);
    });

    t.test('sink drops and the throttle name no producer: their counts cover holes anywhere, up to the count', () => {
      const lines = [line('w1', 1), line('w1', 4), line('w2', 1), line('w2', 3)];
      lines.push(notice(1, 'tributary.dropped', { dropped: 2, sink: 'file', reason: 'queue full' }));
      assert.equal(check(lines).unreported, 1);
      lines.push(notice(2, 'suppressed 1 similar records', { event: 'tributary.suppressed', suppressed: 1 }));
      const result = check(lines);
      assert.equal(result.unreported, 0);
      assert.equal(result.ok, true);
      assert.equal(result.clean, false);
      assert.deepEqual(result.reported.droppedBySinks, { file: 2 });
    });

    t.test('a producer’s own drops are counted for it and leave no hole', () => {
      const lines = [
        line('w1', 1),
        line('w1', 2, { level: 'warn', msg: 'tributary.dropped', logger: 'tributary', dropped: 40, producerOfDropped: 'w1' }),
        line('w1', 3),
      ];
      const result = check(lines);
      assert.equal(result.sequences[0]?.droppedByProducer, 40);
      assert.equal(result.reported.droppedByProducers, 40);
      assert.equal(result.clean, true);
    });

    t.test('the same id with another pid is a sequence of its own, unless separatePids is false', () => {
      const lines = [line('app:0', 1), line('app:0', 2), line('app:0', 1, { pid: 8 }), line('app:0', 2, { pid: 8 })];
      assert.equal(check(lines).sequences.length, 2);
      assert.equal(check(lines).clean, true);
      const merged = check(lines, { separatePids: false });
      assert.equal(merged.sequences.length, 1);
      assert.equal(merged.duplicated, 2);
    });

    t.test('partial: the numbers before a producer’s first record are not missing', () => {
      const lines = range(1001, 1010).map((seq) => line('w1', seq));
      assert.equal(check(lines).missing, 1000);
      assert.equal(check(lines, { partial: true }).missing, 0);
    });

    t.test('memory follows the holes: a million in-order records keep one range', () => {
      const checker = new LogChecker();
      for (let seq = 1; seq <= 1_000_000; seq++) checker.add(`{"producer":"w1","seq":${seq}}`);
      const result = checker.result();
      assert.equal(result.sequences[0]?.records, 1_000_000);
      assert.deepEqual(result.sequences[0]?.holes, []);
    });

    t.test('numbers arriving in any order are counted once each', () => {
      const order = [5, 3, 9, 1, 2, 4, 8, 7, 6, 3, 10];
      const result = check(order.map((seq) => line('w1', seq)));
      assert.equal(result.sequences[0]?.records, 10);
      assert.equal(result.sequences[0]?.missing, 0);
      assert.equal(result.duplicated, 1);
    });

    t.test('JSON that is not a Tributary record is counted apart', () => {
      const result = check(['{"hello":1}', '[1,2]', line('w1', 1)]);
      assert.equal(result.unsequenced, 1);
      assert.equal(result.torn, 1);
      assert.equal(result.sequences.length, 1);
    });
  });
}
