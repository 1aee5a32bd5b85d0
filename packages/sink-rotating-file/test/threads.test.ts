import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOutput } from '@tributary/core/testing';
import { linesAcross, numberedFiles, tempDir } from './runtime/helpers.ts';

// The same check as the in-process 4 × 50,000 test, with real worker threads (@tributary/node-worker)
// as producers, in a child process that runs the built packages.
describe('rotating file sink fed by worker threads', () => {
  test('4 threads × 50,000 records, maxSize 256 KiB: each record once, per-thread order across files, no file over maxSize', () => {
    const dir = tempDir();
    try {
      const result = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'threads-rotating.mjs'), dir, '50000'], {
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect(result.status, result.stderr).toBe(0);
      const report = JSON.parse(result.stdout.trim().split('\n').pop() as string) as { codes: string[]; summary: { timedOut: boolean; lost: number } };
      expect(report.codes).toEqual(['ended:0', 'ended:0', 'ended:0', 'ended:0']);
      expect(report.summary.timedOut).toBe(false);
      expect(report.summary.lost).toBe(0);
      const files = numberedFiles(dir);
      expect(files.length).toBeGreaterThan(100);
      for (const file of files) expect(fs.statSync(file).size).toBeLessThanOrEqual(256 * 1024);
      const check = checkOutput(linesAcross(files));
      for (const producer of ['t1', 't2', 't3', 't4']) expect(check.producers.get(producer)?.count, producer).toBe(50_000);
      expect(check.torn + check.missing + check.duplicated + check.outOfOrder).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
