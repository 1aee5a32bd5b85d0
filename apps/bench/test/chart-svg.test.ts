import { describe, expect, it } from 'vitest';
import { chartRows, escapeXml, resultsChart } from '../src/chart-svg.ts';
import { lineChecks } from '../src/results-file.ts';
import type { ResultsFile, StoredRound } from '../src/results-file.ts';
import type { BenchResult } from '../src/scenario.ts';

function result(tool: string, verified: number, seconds: number, extra: Partial<BenchResult> = {}): BenchResult {
  return { scenario: 's', tool, records: verified, verified, torn: 0, lost: 0, seconds, ...extra };
}

function round(results: BenchResult[], load: number): StoredRound {
  return { startedAt: '2026-12-04T23:10:00.000Z', loadAverageAtStart: [load, 1, 1], loadAverageAtEnd: [load + 1, 1, 1], results, lineChecks: [] };
}

// Two rounds: the loop at 1,000 and 500 records/s, the library at 900 and 600 (ratios 0.9 and 1.2).
const file: ResultsFile = {
  scenario: 'threads-to-file',
  label: '4p',
  description: 'd',
  options: { records: 100, producers: 4, warmup: 0, tools: [], rounds: 2 },
  host: { node: 'v20', platform: 'linux-x64', cores: 2 },
  rounds: [
    round([result('loop <a&b>', 1000, 1), result('lib', 900, 1, { comparedWith: 'loop <a&b>' })], 2),
    round([result('loop <a&b>', 500, 1), result('lib', 1200, 2, { comparedWith: 'loop <a&b>' })], 4),
  ],
  summary: [],
};

describe('chartRows', () => {
  it('gives each tool its median rate and rounds, and each compared tool its per-round ratios', () => {
    const { rates, ratios } = chartRows(file, { lib: 0.9 });
    expect(rates.map((row) => [row.label, row.median, row.rounds])).toEqual([
      ['loop <a&b>', 750, [1000, 500]],
      ['lib', 750, [900, 600]],
    ]);
    expect(ratios).toHaveLength(1);
    expect(ratios[0]).toMatchObject({ label: 'lib', rounds: [0.9, 1.2], target: 0.9, text: '105%' });
    expect(ratios[0]?.median).toBeCloseTo(1.05, 10);
    // A tool keeps its colour from one panel to the other.
    expect(ratios[0]?.color).toBe(rates[1]?.color);
    expect(rates[0]?.color).not.toBe(rates[1]?.color);
  });
});

describe('resultsChart', () => {
  const svg = resultsChart(file, { targets: { lib: 0.9 }, widthPx: 760 });

  it('is one SVG document with every label escaped', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="760"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('<title>threads-to-file (4p): 4 × 100 records, 2 round(s)</title>');
    expect(svg).toContain(escapeXml('loop <a&b>'));
    expect(svg).not.toContain('loop <a&b>');
    expect(escapeXml(`<a href="x">&'`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });

  it('draws a median bar per row and a dot per round, scaled to the fastest round', () => {
    const bars = [...svg.matchAll(/<rect class="median" x="(\d+)" y="[\d.]+" width="([\d.]+)"/g)].map((match) => Number(match[2]));
    // Three rows: two rates, one ratio. Plot width 760 - 300 - 110 = 350 px.
    expect(bars).toHaveLength(3);
    expect(bars[0]).toBeCloseTo((750 / 1000) * 350, 1);
    expect(bars[1]).toBeCloseTo((750 / 1000) * 350, 1);
    // The ratio panel is scaled to at least 120%.
    expect(bars[2]).toBeCloseTo((1.05 / 1.2) * 350, 1);
    expect(svg.match(/<circle class="round"/g)).toHaveLength(6);
    expect(svg).toContain('load average 2.0–5.0');
    expect(svg).toContain('105% (target 90%)');
  });

  it('marks a target only where one is given, and leaves the ratio panel out when nothing is compared', () => {
    expect(svg.match(/<line class="target"/g)).toHaveLength(1);
    expect(resultsChart(file)).not.toContain('class="target"');
    const alone = resultsChart({ ...file, rounds: file.rounds.map((stored) => ({ ...stored, results: stored.results.slice(0, 1) })) });
    expect(alone).not.toContain('ratio to the limit loop');
    expect(alone.match(/<rect class="median"/g)).toHaveLength(1);
  });
});

describe('lineChecks', () => {
  const line = '{"time":"2026-12-04T23:00:00.000Z","level":"info","msg":"m","logger":"","producer":"w1","seq":1,"pid":1,"n":1}';

  it('compares each compared tool with its loop in the round, and says why when it cannot', () => {
    const checks = lineChecks([
      result('loop', 1, 1, { sampleLine: line.replace('00.000', '00.001') }),
      result('lib', 1, 1, { comparedWith: 'loop', sampleLine: line }),
      result('short', 1, 1, { comparedWith: 'loop', sampleLine: line.replace(',"n":1', '') }),
      result('lonely', 1, 1, { comparedWith: 'absent', sampleLine: line }),
      result('free', 1, 1),
    ]);
    expect(checks.map((check) => [check.tool, check.same, check.skipped])).toEqual([
      ['lib', true, undefined],
      ['short', false, undefined],
      ['lonely', undefined, 'the loop did not run in this round'],
    ]);
  });
});
