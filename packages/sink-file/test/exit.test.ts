import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { repoRoot as root, runtimeCommands as runtimes } from '../../../tooling/runtime-tests/runtimes.ts';

// Real processes of each runtime: the sink's timers (flush, SIGHUP listener) never keep a process
// alive, and the exit hook writes what is buffered.

describe('file sink at process end', () => {
  for (const [runtime, command, args] of runtimes) {
    for (const how of ['natural', 'exit']) {
      test(`${runtime}, ${how === 'exit' ? 'process.exit() right after logging' : 'script simply ends'}: the process ends by itself, all 1,000 records in the file`, () => {
        const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-exit-'));
        try {
          const path = join(dir, 'app.log');
          const result = spawnSync(command, [...args, join(import.meta.dirname, 'fixtures', 'exit-writer.mjs'), path, how], {
            cwd: root,
            timeout: 60_000,
            encoding: 'utf8',
          });
          expect(result.error, 'the process ended within 60 s').toBeUndefined();
          expect(result.status, result.stderr).toBe(0);
          const check = checkOutput(splitLines(fs.readFileSync(path, 'utf8')));
          expect(check.producers.get('exiting')?.count).toBe(1_000);
          expect(check.torn + check.missing + check.duplicated + check.outOfOrder).toBe(0);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      }, 90_000);
    }
  }
});
