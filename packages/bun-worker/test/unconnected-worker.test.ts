import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'vitest';
import { runUnconnectedWorkerCases } from '@tributary/core/testing';

const root = resolve(import.meta.dirname, '../../..');
const main = resolve(import.meta.dirname, 'fixtures/unconnected-main.ts');

// Real bun processes (the binary from the npm devDependencies), a plain Web Worker that never connects.
runUnconnectedWorkerCases(
  { describe, test },
  {
    name: '@tributary/bun-worker',
    endings: ['process.exit()', 'self.close()'],
    records: 1_000,
    run: (ending) => {
      const mode = ending === 'process.exit()' ? 'exit' : 'close';
      return spawnSync(resolve(root, 'node_modules/.bin/bun'), [main, mode], { cwd: root, encoding: 'utf8', timeout: 60_000 }).stderr;
    },
  },
);
