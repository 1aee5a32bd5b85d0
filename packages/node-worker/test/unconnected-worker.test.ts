import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';

const main = resolve(import.meta.dirname, 'fixtures/unconnected-main.mjs');

test('a worker whose logger never got its ring writes every record and a note to stderr when it exits', () => {
  const run = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 60_000 });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines).toHaveLength(1_001);
  expect(lines.slice(0, 1_000).map((record) => record['n'])).toEqual(Array.from({ length: 1_000 }, (_, index) => index + 1));
  expect(lines.slice(0, 1_000).every((record) => record['logger'] === 'pool' && record['level'] === 'info')).toBe(true);
  expect(lines[1_000]).toMatchObject({
    level: 'warn',
    msg: "tributary: this worker's logger was never connected to a listener; 1000 records written to stderr instead",
    writtenToStderr: 1_000,
    dropped: 0,
  });
}, 90_000);
