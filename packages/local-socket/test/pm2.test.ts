import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkOutput, splitLines, waitFor } from '@tributary/core/testing';
import { expect, test } from 'vitest';
import { expectTributaryVerified } from '../../../tooling/runtime-tests/tributary-verify.ts';
import { fixture, startProcess, tempDir } from './runtime/helpers.ts';

const RECORDS = 5_000;
const pm2 = resolve(import.meta.dirname, '../../../node_modules/.bin/pm2');

test('pm2 cluster mode: `pm2 start app -i 4` instances log to a collector in a separate process under pm2-<pm_id>, every record once, in order', async () => {
  const dir = tempDir();
  const path = join(dir.path, 'collector.sock');
  const file = join(dir.path, 'pm2.log');
  const env = { ...process.env, PM2_HOME: join(dir.path, 'pm2-home'), APP_LOG_SOCKET: path, APP_RECORDS: String(RECORDS) };
  const collector = startProcess('node', fixture('collector.mjs'), [path, file]);
  try {
    await collector.waitForOutput('listening');
    const started = spawnSync(pm2, ['start', fixture('pm2-app.mjs'), '-i', '4', '--no-autorestart', '--name', 'local-socket-test'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(started.status, `${started.stdout}\n${started.stderr}`).toBe(0);
    const producers = ['pm2-0', 'pm2-1', 'pm2-2', 'pm2-3'];
    const counts = (): Map<string, number> => {
      const check = checkOutput(existsSync(file) ? splitLines(readFileSync(file, 'utf8')) : []);
      return new Map(producers.map((producer) => [producer, check.producers.get(producer)?.count ?? 0]));
    };
    await waitFor(() => [...counts().values()].every((count) => count === RECORDS), `every pm2 instance's ${RECORDS} records`, 120_000);
    spawnSync(pm2, ['kill'], { env, timeout: 60_000 });
    collector.child.kill('SIGTERM');
    await collector.exited;
    expect(collector.output()).toMatch(/summary .*"lost":0/);
    const check = checkOutput(splitLines(readFileSync(file, 'utf8')));
    expect([...check.producers.keys()].sort()).toEqual(producers);
    for (const producer of producers)
      expect(check.producers.get(producer)).toEqual({ count: RECORDS, maxSeq: RECORDS, missing: 0, duplicated: 0, outOfOrder: 0 });
    expect(check.torn).toBe(0);
    expect(check.notices.has('tributary.lost')).toBe(false);
    // The real `tributary verify` on the file: exit 0, every instance's records, no unreported loss.
    expectTributaryVerified([file], { records: Object.fromEntries(producers.map((producer) => [producer, RECORDS])) });
  } finally {
    spawnSync(pm2, ['kill'], { env, timeout: 60_000 });
    collector.child.kill('SIGKILL');
    dir.remove();
  }
}, 240_000);
