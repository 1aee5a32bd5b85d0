import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The scenario starts the built child script (npm test builds first).
import { checkBurstOutput, mainThreadBurst } from '../src/scenarios/main-thread-burst.ts';

const outDir = mkdtempSync(join(tmpdir(), 'bench-main-thread-burst-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('checkBurstOutput', () => {
  it("counts distinct n, sums Tributary's dropped notices and counts everything else as torn", () => {
    const lines = [
      '{"msg":"request handled","n":1}',
      '{"msg":"request handled","n":1}',
      '{"msg":"request handled","n":3}',
      '{"msg":"tributary.dropped","dropped":5}',
      '{"msg":"tributary.dropped","dropped":2}',
      '{"msg":"tributary.started"}',
      '{"msg":"request h',
      '{"msg":"other","n":4}',
    ];
    expect(checkBurstOutput(`${lines.join('\n')}\n`)).toEqual({ verified: 2, torn: 2, droppedReported: 7 });
  });
});

describe('main-thread-burst', () => {
  it('runs each tool in its own process and reads every record back', { timeout: 120_000 }, async () => {
    const results = await mainThreadBurst.run({ records: 2_000, producers: 1, outDir, tools: [], warmup: 0 });
    expect(results.map((result) => [result.tool, result.verified, result.lost, result.torn])).toEqual([
      ['tributary (defaults)', 2_000, 0, 0],
      ['pino.destination (defaults)', 2_000, 0, 0],
      ['pino.transport pino/file', 2_000, 0, 0],
    ]);
    expect(results[0]?.note).toContain('dropped 0, complete true');
    for (const result of results) expect(result.peakRssMiB).toBeGreaterThan(0);
  });
});
