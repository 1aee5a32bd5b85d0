import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The scenario spawns the built child script (npm test builds first).
import { localSocket } from '../src/scenarios/local-socket.ts';

const outDir = mkdtempSync(join(tmpdir(), 'bench-local-socket-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('local-socket', () => {
  it('runs the limit loop and Tributary with separate processes and reads every record back', { timeout: 120_000 }, async () => {
    const results = await localSocket.run({ records: 2_000, producers: 2, outDir, tools: [], warmup: 0 });
    expect(results.map((result) => [result.tool, result.records, result.verified, result.lost, result.torn, result.note])).toEqual([
      ['limit loop: Unix socket, one write per 256 lines, writeSync', 4_000, 4_000, 0, 0, undefined],
      ['tributary local-socket', 4_000, 4_000, 0, 0, undefined],
    ]);
    // The same line shape for both, as the bench's line check requires.
    expect(results[0]?.sampleLine?.length).toBe(results[1]?.sampleLine?.length);
  });
});
