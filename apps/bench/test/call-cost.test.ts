import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callCost, checkCallOutput } from '../src/scenarios/call-cost.ts';
import { summarizeRounds, summaryTable } from '../src/rounds-summary.ts';

const outDir = mkdtempSync(join(tmpdir(), 'bench-call-cost-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const line = (fields: object): string => JSON.stringify({ msg: 'request handled', ...fields });
const request = { requestId: 'r-17', method: 'GET', route: '/api/items' };

describe('checkCallOutput', () => {
  it('counts distinct n, duplicates, torn lines and the marker with the right count', () => {
    const text = [line({ n: 1 }), line({ n: 2 }), line({ n: 2 }), '{"n":3', line({ n: 9 }), line({ marker: true, calls: 4 }), ''].join('\n');
    expect(checkCallOutput(text, 'enabled', 4)).toEqual({ distinct: 2, duplicated: 1, torn: 2, written: 3, missingContext: 0, markers: 1 });
    expect(checkCallOutput(line({ marker: true, calls: 3 }), 'disabled', 4).markers).toBe(0);
  });

  it('counts records of the context and child rows that lack any of the request fields', () => {
    const text = [line({ n: 1, ...request }), line({ n: 2, ...request, method: 'POST' }), line({ n: 3 })].join('\n');
    expect(checkCallOutput(text, 'context', 3).missingContext).toBe(2);
    expect(checkCallOutput(text, 'enabled', 3).missingContext).toBe(0);
  });
});

describe('call-cost', () => {
  it('runs every row into its own file and finds every enabled record, and none of the disabled ones', { timeout: 120_000 }, async () => {
    const first = await callCost.run({ records: 1_500, producers: 1, warmup: 0, outDir, tools: [] });
    // The second round runs the rows in reverse order; results come back in the same order.
    const second = await callCost.run({ records: 1_500, producers: 1, warmup: 0, outDir, tools: [] });
    const tools = [
      'tributary-disabled',
      'pino-disabled',
      'logtape-disabled',
      'tributary',
      'pino',
      'tributary-context',
      'pino-mixin',
      'tributary-child',
      'pino-child',
    ];
    expect(first.map((result) => result.tool)).toEqual(tools);
    expect(second.map((result) => result.tool)).toEqual(tools);
    for (const result of [...first, ...second]) {
      const records = result.tool.endsWith('-disabled') ? 15_000 : 1_500;
      expect({ tool: result.tool, records: result.records, verified: result.verified, lost: result.lost, torn: result.torn }).toEqual({
        tool: result.tool,
        records,
        verified: records,
        lost: 0,
        torn: 0,
      });
      expect(result.nsPerCall).toBeGreaterThan(0);
    }
    const table = summaryTable(summarizeRounds([first, second]));
    expect(table).toContain('| tributary-context | 2 |');
    expect(table.split('\n').find((row) => row.startsWith('| tributary-context '))).toContain('| pino-mixin |');
  });
});
