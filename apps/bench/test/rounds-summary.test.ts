import { describe, expect, it } from 'vitest';
import { spread, summarizeRounds, summaryTable } from '../src/rounds-summary.ts';
import type { BenchResult } from '../src/scenario.ts';

function result(tool: string, verified: number, seconds: number, extra: Partial<BenchResult> = {}): BenchResult {
  return { scenario: 's', tool, records: verified, verified, torn: 0, lost: 0, seconds, ...extra };
}

describe('spread', () => {
  it('gives the median (the mean of the middle two for an even count), lowest and highest', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });
});

describe('summarizeRounds', () => {
  it('takes each ratio within its round, against the tool named in comparedWith', () => {
    const rounds = [
      [result('loop', 1000, 1), result('lib', 900, 1, { comparedWith: 'loop' })],
      [result('loop', 500, 1), result('lib', 600, 1, { comparedWith: 'loop' })],
      [result('loop', 800, 1), result('lib', 400, 1, { comparedWith: 'loop', lost: 2, torn: 1 })],
    ];
    const [loop, lib] = summarizeRounds(rounds);
    expect(loop).toEqual({ tool: 'loop', rounds: 3, rate: { median: 800, min: 500, max: 1000 }, lost: 0, torn: 0 });
    // Per round: 0.9, 1.2, 0.5 — not the ratio of the medians (600 / 800).
    expect(lib?.ratio).toEqual({ median: 0.9, min: 0.5, max: 1.2, comparedWith: 'loop' });
    expect(lib?.rate).toEqual({ median: 600, min: 400, max: 900 });
    expect([lib?.lost, lib?.torn]).toEqual([2, 1]);
  });

  it('leaves the ratio out for rounds where the compared tool did not run, and for tools that compare with none', () => {
    const rounds = [
      [result('lib', 900, 1, { comparedWith: 'loop' })],
      [result('loop', 1000, 1), result('lib', 500, 1, { comparedWith: 'loop' })],
      [result('loop', 0, 1), result('lib', 700, 1, { comparedWith: 'loop' })], // the loop verified nothing: no ratio
    ];
    const [lib, loop] = summarizeRounds(rounds);
    expect(lib?.ratio).toEqual({ median: 0.5, min: 0.5, max: 0.5, comparedWith: 'loop' });
    expect(loop?.ratio).toBeUndefined();
  });

  it('gives ns per call as median and range when every round measured it, and prints it', () => {
    const rounds = [
      [result('a', 10, 1, { nsPerCall: 7.25 }), result('b', 10, 1, { nsPerCall: 1200 })],
      [result('a', 10, 1, { nsPerCall: 12 }), result('b', 10, 1)],
      [result('a', 10, 1, { nsPerCall: 5 })],
    ];
    const [a, b] = summarizeRounds(rounds);
    expect(a?.nsPerCall).toEqual({ median: 7.25, min: 5, max: 12 });
    expect(b?.nsPerCall).toBeUndefined(); // one round without it: no figure rather than a partial one
    const table = summaryTable([a, b].filter((summary) => summary !== undefined));
    expect(table).toContain('| a | 3 | 10 | 10 – 10 | 0 | 0 | | | | 7.3 | 5.0 – 12.0 |');
    expect(table.split('\n').find((row) => row.startsWith('| b '))).toMatch(/\| \| \|$/);
  });

  it('prints one table row per tool', () => {
    const table = summaryTable(summarizeRounds([[result('loop', 1000, 1), result('lib', 900, 1, { comparedWith: 'loop' })]]));
    expect(table.split('\n')).toHaveLength(4);
    expect(table).toContain('| lib | 1 | 900 | 900 – 900 | 0 | 0 | loop | 90% | 90% – 90% |');
  });
});
