import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'vitest';
import { runUnconnectedWorkerCases } from '@tributary/core/testing';

const main = resolve(import.meta.dirname, 'fixtures/unconnected-main.mjs');

// A Node worker waiting for its ring stays alive (its parentPort listener), so it ends by process.exit().
runUnconnectedWorkerCases(
  { describe, test },
  {
    name: '@tributary/node-worker',
    endings: ['process.exit()'],
    records: 1_000,
    run: () => spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 60_000 }).stderr,
  },
);
