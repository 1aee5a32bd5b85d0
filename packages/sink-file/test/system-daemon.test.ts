/**
 * The shared helper every test that needs a system program (rsyslogd, logrotate) asks first: one
 * visible line and a skip on a machine without it, an error under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { systemDaemon } from '../../../tooling/runtime-tests/system-daemon.ts';

const root = resolve(import.meta.dirname, '../../..');
const need = { binary: 'tributary-no-such-daemon', install: 'apt-get install -y tributary-no-such-daemon' };

describe('systemDaemon()', () => {
  test('missing outside CI: skips after exactly one line naming what to install', () => {
    const lines: string[] = [];
    const found = systemDaemon({ ...need, env: { PATH: process.env['PATH'] }, report: (line) => lines.push(line) });
    expect(found).toEqual({ skip: true, path: undefined });
    expect(lines).toEqual(['skipped: needs tributary-no-such-daemon (apt-get install -y tributary-no-such-daemon); required when CI=true']);
  });

  test('missing under CI=true: throws, naming the install command', () => {
    const lines: string[] = [];
    expect(() => systemDaemon({ ...need, env: { PATH: process.env['PATH'], CI: 'true' }, report: (line) => lines.push(line) })).toThrow(
      /tributary-no-such-daemon is not installed, and it is required when CI=true: apt-get install -y tributary-no-such-daemon/,
    );
    expect(lines).toEqual([]);
  });

  test('installed: its path on PATH, no line', () => {
    const lines: string[] = [];
    const found = systemDaemon({ binary: 'sh', install: 'none', env: { PATH: process.env['PATH'], CI: 'true' }, report: (line) => lines.push(line) });
    expect(found.skip).toBe(false);
    expect(found.path).toMatch(/\/sh$/);
    expect(lines).toEqual([]);
  });

  test('the logrotate test file without logrotate on PATH: skipped with the line; under CI=true it fails', () => {
    const vitest = resolve(root, 'node_modules/.bin/vitest');
    const hidden = { ...process.env, PATH: `${resolve(process.execPath, '..')}:/bin-without-daemons`, CI: 'false' };
    const skipped = spawnSync(vitest, ['run', '--project', 'sink-file', 'logrotate'], { cwd: root, env: hidden, encoding: 'utf8', timeout: 120_000 });
    expect(skipped.stderr + skipped.stdout).toContain('skipped: needs logrotate (apt-get install -y logrotate); required when CI=true');
    expect(skipped.status, skipped.stdout + skipped.stderr).toBe(0);
    const required = spawnSync(vitest, ['run', '--project', 'sink-file', 'logrotate'], {
      cwd: root,
      env: { ...hidden, CI: 'true' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(required.stdout + required.stderr).toContain('logrotate is not installed, and it is required when CI=true');
    expect(required.status).not.toBe(0);
  }, 240_000);
});
