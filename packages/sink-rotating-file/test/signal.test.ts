import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkOutput } from '@tributary/core/testing';
import { linesAcross, numberedFiles, tempDir } from './runtime/helpers.ts';
import { repoRoot as root, runtimeCommands as runtimes } from '../../../tooling/runtime-tests/runtimes.ts';

// A signal to the listener's own process right after the log calls (`docker stop`, Ctrl-C, a closed
// terminal): real processes of each runtime, real files, every line read back.
const fixture = join(import.meta.dirname, 'fixtures', 'signal-writer.mjs');

function run(command: string, args: readonly string[], kind: 'file' | 'rotating', mode: string, signal: string) {
  const dir = tempDir();
  try {
    const result = spawnSync(command, [...args, fixture, dir, kind, mode, signal], { cwd: root, timeout: 60_000, encoding: 'utf8' });
    const files = kind === 'file' ? [join(dir, 'app.log')].filter((path) => fs.existsSync(path)) : numberedFiles(dir);
    return { result, check: checkOutput(linesAcross(files)), files };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('a signal to the listener’s process', () => {
  for (const [runtime, command, args] of runtimes) {
    for (const kind of ['file', 'rotating'] as const) {
      for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
        test(`${runtime}, ${kind} sink, ${signal} right after 50 log calls: all 50 written, then the process dies of ${signal} as it would have`, () => {
          const { result, check, files } = run(command, args, kind, 'default', signal);
          expect(result.error, 'the process ended within 60 s').toBeUndefined();
          expect({ status: result.status, signal: result.signal }, result.stderr).toEqual({ status: null, signal });
          expect(check.producers.get('main')).toEqual({ count: 50, maxSeq: 50, missing: 0, duplicated: 0, outOfOrder: 0 });
          expect(check.torn).toBe(0);
          if (kind === 'rotating') expect(files.length).toBeGreaterThan(1);
        }, 90_000);
      }
    }

    test(`${runtime}: with the application's own SIGTERM handler, Tributary leaves the decision to it (it stops the listener and exits 0)`, () => {
      const { result, check } = run(command, args, 'file', 'app-handler', 'SIGTERM');
      expect(result.error).toBeUndefined();
      expect({ status: result.status, signal: result.signal }, result.stderr).toEqual({ status: 0, signal: null });
      expect(check.producers.get('main')?.count).toBe(50);
    }, 90_000);

    test(`${runtime}: drainOnSignals: false leaves the signal alone (nothing drained)`, () => {
      const { result, check } = run(command, args, 'file', 'off', 'SIGTERM');
      expect(result.error).toBeUndefined();
      expect(result.signal, result.stderr).toBe('SIGTERM');
      expect(check.producers.get('main')?.count ?? 0).toBe(0);
    }, 90_000);
  }

  test('node: 2 worker threads’ records still in their rings at SIGTERM are read and written before the process dies', () => {
    const [, command, args] = runtimes.find(([runtime]) => runtime === 'node') ?? [];
    const { result, check } = run(command as string, args as string[], 'rotating', 'workers', 'SIGTERM');
    expect(result.error).toBeUndefined();
    expect(result.signal, result.stderr).toBe('SIGTERM');
    for (const producer of ['w1', 'w2']) expect(check.producers.get(producer)).toEqual({ count: 50, maxSeq: 50, missing: 0, duplicated: 0, outOfOrder: 0 });
  }, 90_000);
});
