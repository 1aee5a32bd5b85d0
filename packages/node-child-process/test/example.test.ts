import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { checkOutput, splitLines } from '@tributary/core/testing';

/** Runs the README example (`examples/parent.mjs`) in one delivery mode; its exit code and output. */
async function runExample(mode: 'sync' | 'batched'): Promise<{ code: number | null; out: string; err: string }> {
  const example = fileURLToPath(new URL('../examples/parent.mjs', import.meta.url));
  const child = spawn(process.execPath, [example, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, out, err };
}

test('the README example runs: sync delivery keeps the killed child’s records', async () => {
  const { code, out, err } = await runExample('sync');
  expect(code).toBe(0);
  const check = checkOutput(splitLines(out));
  expect(check.producers.get('job1')?.count).toBe(5);
  expect(check.producers.get('job2')?.count).toBe(5);
  expect(check.producers.get('job3')?.count).toBe(3);
  expect(check.notices.get('tributary.producer_exited')?.[0]?.['exitedProducer']).toBe('job3');
  expect(err).toContain("'killed by SIGKILL' ] received 13, lost 0, complete true");
  expect(check.notices.get('tributary.lost')).toBeUndefined();
}, 60_000);

test('the README example in batched mode: the SIGKILL loss is reported as unknown after the last seq, complete false', async () => {
  const { code, out, err } = await runExample('batched');
  expect(code).toBe(0);
  const check = checkOutput(splitLines(out));
  expect(check.producers.get('job1')?.count).toBe(5);
  expect(check.producers.get('job2')?.count).toBe(5);
  const arrived = check.producers.get('job3')?.maxSeq ?? 0;
  const lost = check.notices.get('tributary.lost') ?? [];
  expect(lost).toHaveLength(1);
  expect(lost[0]).toMatchObject({ lost: 'unknown', lostProducer: 'job3', afterSeq: arrived });
  expect(String(lost[0]?.['reason'])).toContain(`an unknown number of records after seq ${arrived}`);
  expect(String(lost[0]?.['reason'])).toContain("delivery: 'sync'");
  expect(err).toContain(`lost 0, job3: an unknown number after seq ${arrived}, complete false`);
}, 60_000);
