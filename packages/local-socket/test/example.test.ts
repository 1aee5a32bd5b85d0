import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { expect, test } from 'vitest';

test('the README example runs: four cluster workers, three records each, every one written once', async () => {
  const example = fileURLToPath(new URL('../examples/cluster.mjs', import.meta.url));
  const child = spawn(process.execPath, [example], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code, err).toBe(0);
  const check = checkOutput(splitLines(out));
  expect([...check.producers.keys()].sort()).toEqual(['cluster-worker-1', 'cluster-worker-2', 'cluster-worker-3', 'cluster-worker-4']);
  for (const stats of check.producers.values()) expect(stats).toEqual({ count: 3, maxSeq: 3, missing: 0, duplicated: 0, outOfOrder: 0 });
  expect(err).toContain('received 12, lost 0, complete true');
}, 60_000);
