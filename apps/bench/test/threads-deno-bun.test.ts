import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkOutput, splitLines } from '@tributary/core/testing';
// The scenario starts the built Deno and Bun scripts (npm test builds first).
import { compareLines } from '../src/line-shape.ts';
import { threadsDenoBun } from '../src/scenarios/threads-deno-bun.ts';

const outDir = mkdtempSync(join(tmpdir(), 'bench-threads-deno-bun-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('threads-deno-bun with a warm-up', () => {
  it('writes warm-up and measured records, checks them all and counts only the measured ones', { timeout: 120_000 }, async () => {
    const results = await threadsDenoBun.run({ records: 300, producers: 2, warmup: 200, outDir, tools: [] });
    expect(results.map((result) => result.tool)).toEqual([
      'deno old loop (string[] per postMessage)',
      'deno limit loop (one string per 256 lines)',
      'tributary (deno-worker ring)',
      'bun old loop (string[] per postMessage)',
      'bun limit loop (one string per 256 lines)',
      'tributary (bun-worker ring)',
    ]);
    for (const result of results) {
      expect({ tool: result.tool, records: result.records, verified: result.verified, lost: result.lost, torn: result.torn }).toEqual({
        tool: result.tool,
        records: 600,
        verified: 600,
        lost: 0,
        torn: 0,
      });
      expect(result.note).toContain('warm-up of 200 records per worker');
    }
    // Each runtime's limit loop writes Tributary's line, byte for byte but for the time.
    for (const runtime of ['deno', 'bun']) {
      const tributary = results.find((result) => result.tool === `tributary (${runtime}-worker ring)`);
      const limit = results.find((result) => result.tool === tributary?.comparedWith);
      expect(limit?.sampleLine, runtime).toBeDefined();
      expect(compareLines(tributary?.sampleLine ?? '', limit?.sampleLine ?? '')).toMatchObject({ same: true });
    }
    for (const name of ['deno', 'deno-limit', 'deno-old-loop', 'bun', 'bun-limit', 'bun-old-loop']) {
      const check = checkOutput(splitLines(readFileSync(join(outDir, `${name}.jsonl`), 'utf8')));
      for (const producer of ['w1', 'w2']) expect(check.producers.get(producer)?.count, `${name} ${producer}`).toBe(500);
    }
  });
});
