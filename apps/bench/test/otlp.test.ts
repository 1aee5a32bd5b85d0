import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { otlpScenario } from '../src/scenarios/otlp.ts';

const outDir = mkdtempSync(join(tmpdir(), 'bench-otlp-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('otlp', () => {
  it('counts every record each tool delivered to its receiver, and what the SDK left behind', { timeout: 120_000 }, async () => {
    // 2 × 3,000 records: more than the SDK's default queue of 2,048 takes in one burst
    const first = await otlpScenario.run({ records: 3_000, producers: 2, warmup: 0, outDir, tools: [] });
    const second = await otlpScenario.run({ records: 3_000, producers: 2, warmup: 0, outDir, tools: ['tributary', 'otel-sdk'] });
    expect(first.map((result) => result.tool)).toEqual([
      '@tributary/sink-otlp (listener)',
      'OTel SDK batch exporter, sized',
      'OTel SDK batch exporter, defaults',
    ]);
    // rounds alternate which tool goes first
    expect(second.map((result) => result.tool)).toEqual(['OTel SDK batch exporter, sized', '@tributary/sink-otlp (listener)']);
    for (const result of [...first, ...second].filter((row) => !row.tool.endsWith('defaults'))) {
      expect({ tool: result.tool, records: result.records, verified: result.verified, lost: result.lost, torn: result.torn }).toEqual({
        tool: result.tool,
        records: 6_000,
        verified: 6_000,
        lost: 0,
        torn: 0,
      });
    }
    const defaults = first[2];
    expect(defaults?.verified).toBeLessThan(6_000);
    expect(defaults?.lost).toBe(6_000 - (defaults?.verified ?? 0));
    expect(defaults?.note).toContain(`${defaults?.lost} never arrived, no error raised`);
  });
});
