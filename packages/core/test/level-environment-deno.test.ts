import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { binary, repoRoot } from '../../../tooling/runtime-tests/runtimes.ts';

// The fixture runs under Deno for real and imports the built dist: run `npx turbo run build` first.
const fixture = fileURLToPath(new URL('./fixtures/level-from-environment.mjs', import.meta.url));

/** Runs the fixture under Deno with `permissions` and the level variables set; resolves with what it printed. */
function runDeno(permissions: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary('deno'), ['run', '--no-prompt', ...permissions, fixture], {
      cwd: repoRoot,
      env: { ...process.env, TRIBUTARY_LEVEL: 'Debug', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('levels from the environment on Deno', () => {
  test('without --allow-env the variables are not read: the default applies, nothing fails or prompts', async () => {
    const run = await runDeno(['--allow-read']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ level: 'info' });
  });

  test('with --allow-env TRIBUTARY_LEVEL is read through Deno.env', async () => {
    const run = await runDeno(['--allow-read', '--allow-env']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ level: 'debug' });
  });

  test('with --allow-env for LOG_LEVEL only, LOG_LEVEL applies', async () => {
    const run = await runDeno(['--allow-read', '--allow-env=LOG_LEVEL']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout.trim())).toEqual({ level: 'error' });
  });
});
