import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { expectTributaryVerified } from '../../../tooling/runtime-tests/tributary-verify.ts';
import type { SeedVerdict } from '../src/seed/check-seed.ts';

const cli = resolve(import.meta.dirname, '../dist/cli.js');
const out = mkdtempSync(join(tmpdir(), 'tributary-demo-seed-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('--scenario seed: a pool with a SIGKILLed worker and the main thread, one file, nothing torn, duplicated or lost unreported', () => {
  const run = spawnSync(process.execPath, [cli, '--scenario', 'seed', '--out', out, '--json'], { encoding: 'utf8', timeout: 120_000 });
  if (run.stdout === '') throw new Error(`demo printed nothing: ${run.stderr}`);
  const { seed, verdicts } = JSON.parse(run.stdout) as { seed: SeedVerdict; verdicts: readonly unknown[] };
  expect(verdicts).toHaveLength(0);
  expect(seed.problems).toEqual([]);
  expect(seed).toMatchObject({ pass: true, verifyOk: true, torn: 0, duplicated: 0, outOfOrder: 0, unreported: 0, tasksDone: seed.tasks });
  // Four workers, the killed one's replacement and the main thread, each complete up to its expected number.
  expect(seed.producers.map((row) => row.role).sort()).toEqual(['killed', 'main', 'replacement', 'worker', 'worker', 'worker']);
  for (const row of seed.producers) expect(row, row.producer).toMatchObject({ complete: true, found: row.expectedSeq });
  expect(seed.producers.find((row) => row.role === 'main')?.found).toBeGreaterThan(seed.tasks);
  // The killed worker's loss is reported: its records end at the listener's afterSeq.
  const killed = seed.producers.find((row) => row.role === 'killed');
  expect(seed.victimLostAfterSeq).toBe(killed?.lastSeq);
  expect(seed.writtenAfterKill).toBeGreaterThan(0);
  expect(seed.elapsedMs).toBeLessThan(seed.boundMs);
  // The real `tributary verify` agrees, record for record.
  const records = Object.fromEntries(seed.producers.map((row) => [row.producer, row.found]));
  expectTributaryVerified([seed.file], { records });
  expect(run.status).toBe(0);
}, 150_000);
