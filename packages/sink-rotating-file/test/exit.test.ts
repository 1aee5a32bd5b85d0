import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOutput } from '@tributary/core/testing';
import { linesAcross, numberedFiles, tempDir } from './runtime/helpers.ts';
import { repoRoot as root, runtimeCommands as runtimes } from '../../../tooling/runtime-tests/runtimes.ts';

describe('rotating file sink at process.exit()', () => {
  for (const [runtime, command, args] of runtimes) {
    test(`${runtime}: 20,000 records logged right before process.exit() are all on disk, rotated, none over maxSize`, () => {
      const dir = tempDir();
      try {
        const result = spawnSync(command, [...args, join(import.meta.dirname, 'fixtures', 'exit-rotating.mjs'), dir], {
          cwd: root,
          timeout: 60_000,
          encoding: 'utf8',
        });
        expect(result.error).toBeUndefined();
        expect(result.status, result.stderr).toBe(0);
        const files = numberedFiles(dir);
        expect(files.length).toBeGreaterThan(10);
        for (const file of files) expect(fs.statSync(file).size).toBeLessThanOrEqual(64 * 1024);
        const check = checkOutput(linesAcross(files));
        expect(check.producers.get('exiting')?.count).toBe(20_000);
        expect(check.torn + check.missing + check.duplicated + check.outOfOrder).toBe(0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
