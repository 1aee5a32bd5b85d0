import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { checkOutput, splitLines } from '@tributary/core/testing';

test('the README example runs: sync delivery keeps the killed child’s records', async () => {
  const example = fileURLToPath(new URL('../examples/parent.mjs', import.meta.url));
  const child = spawn(process.execPath, [example, 'sync'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  expect(code).toBe(0);
  const check = checkOutput(splitLines(out));
  expect(check.producers.get('job1')?.count).toBe(5);
  expect(check.producers.get('job2')?.count).toBe(5);
  expect(check.producers.get('job3')?.count).toBe(3);
  expect(check.notices.get('tributary.producer_exited')?.[0]?.['exitedProducer']).toBe('job3');
  expect(err).toContain("'killed by SIGKILL' ] received 13, lost 0");
}, 60_000);
