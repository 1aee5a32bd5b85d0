import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { afterAll, describe, expect, test } from 'vitest';

// These fixtures run in a child process and import the built dist: run `npx turbo run build` first.
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tributary-core-exit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a fixture and resolves with its exit code; fails if it does not end within `timeoutMs`. */
function run(fixture: string, args: string[], timeoutMs = 60_000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(fixtures, fixture), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${fixture} did not exit within ${timeoutMs} ms: something keeps it alive`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

describe('exit', () => {
  test('a process that logs once with a listener and pending flushes exits on its own and writes the record', async () => {
    const file = join(dir, 'alone.log');
    const { code, stderr } = await run('exits-on-its-own.mjs', [file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const records = splitLines(readFileSync(file, 'utf8')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => [record['producer'], record['seq'], record['msg']])).toEqual([['lonely', 1, 'only record']]);
  });

  for (const [mode, count] of [
    ['plain', 1],
    ['plain', 3_000],
    ['timer', 2_000],
    ['async-sink', 5_000],
  ] as const) {
    test(`process.exit() right after ${count} log calls loses nothing (${mode})`, async () => {
      const file = join(dir, `exit-${mode}-${count}.log`);
      const { code, stderr } = await run('exit-after-log.mjs', [file, String(count), mode]);
      expect(stderr).toBe('');
      expect(code).toBe(3);
      const check = checkOutput(splitLines(readFileSync(file, 'utf8')));
      expect(check.torn).toBe(0);
      expect(check.producers.get('exiting')).toEqual({ count, maxSeq: count, missing: 0, duplicated: 0, outOfOrder: 0 });
    });
  }
});
