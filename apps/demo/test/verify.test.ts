import { describe, expect, test } from 'vitest';
import type { CombinationResult } from '../src/types.ts';
import { verifyCombination } from '../src/verify.ts';

const result = (logged: number, killed = false, chaos = false): CombinationResult => ({
  spec: { adapter: 'a', sink: 's', producers: 1, records: logged, dir: '/tmp/x', chaos, seed: 1, collector: 'embedded' },
  runtime: 'node',
  producers: [{ id: 'p1', logged, killed }],
  seconds: 1,
  listener: { received: logged, lost: 0, timedOut: false },
});
const line = (seq: number, producer = 'p1', msg = 'work item'): string => JSON.stringify({ producer, seq, msg });

describe('demo verification', () => {
  test('a complete output passes', () => {
    const verdict = verifyCombination('x', result(3), [line(1), line(2), line(3)]);
    expect(verdict).toMatchObject({ expected: 3, found: 3, lost: 0, pass: true });
  });
  test('a missing record fails as lost', () => {
    expect(verifyCombination('x', result(3), [line(1), line(3)])).toMatchObject({ lost: 1, pass: false });
  });
  test('a duplicate, a torn line and a step backwards each fail', () => {
    expect(verifyCombination('x', result(2), [line(1), line(2), line(2)])).toMatchObject({ duplicated: 1, pass: false });
    expect(verifyCombination('x', result(2), [line(1), line(2), '{"producer":"p1","se'])).toMatchObject({ torn: 1, pass: false });
    expect(verifyCombination('x', result(2), [line(2), line(1)])).toMatchObject({ outOfOrder: 1, pass: false });
  });
  test('notices are not counted as the producer’s records', () => {
    const verdict = verifyCombination('x', result(2), [line(1), line(2), line(3, 'p1', 'tributary.dropped')]);
    expect(verdict).toMatchObject({ found: 2, pass: true });
  });
  test('chaos: a reported loss passes, a silent one fails', () => {
    const reportedLoss = JSON.stringify({ producer: 'listener', seq: 1, msg: 'tributary.lost', lost: 1 });
    expect(verifyCombination('x', result(3, true, true), [line(1), line(3), reportedLoss])).toMatchObject({ lost: 1, reported: 1, pass: true });
    expect(verifyCombination('x', result(3, true, true), [line(1), line(3)])).toMatchObject({ lost: 1, reported: 0, pass: false });
  });
  test("chaos: a killed producer's loss after the afterSeq of an unknown-count report passes; before it, it fails", () => {
    const unknown = (afterSeq: number): string =>
      JSON.stringify({ producer: 'listener', seq: 1, msg: 'tributary.lost', lost: 'unknown', lostProducer: 'p1', afterSeq });
    expect(verifyCombination('x', result(5, true, true), [line(1), line(2), unknown(2)])).toMatchObject({ lost: 3, reportedAfterSeq: 3, pass: true });
    expect(verifyCombination('x', result(5, true, true), [line(1), line(2), unknown(3)])).toMatchObject({ lost: 3, reportedAfterSeq: 2, pass: false });
    expect(verifyCombination('x', result(5, false, true), [line(1), line(2), unknown(2)])).toMatchObject({ lost: 3, reportedAfterSeq: 0, pass: false });
  });
  test('a combination that did not finish fails', () => {
    expect(verifyCombination('x', undefined, [])).toMatchObject({ pass: false, problem: expect.stringContaining('did not finish') });
  });
});
