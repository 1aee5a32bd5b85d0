import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, test } from 'vitest';
import { runUnconnectedWorkerCases } from '@tributary/core/testing';
import { repoRoot, runtimeCommands } from '../../../tooling/runtime-tests/runtimes.ts';

const main = resolve(import.meta.dirname, 'fixtures/unconnected-main.ts');
const [, command, args] = runtimeCommands.find(([runtime]) => runtime === 'deno') ?? [];
const argument = (ending: string): string => (ending === 'process.exit()' ? 'exit' : 'close');

// Real deno processes, a plain Web Worker that never connects.
runUnconnectedWorkerCases(
  { describe, test },
  {
    name: '@tributary/deno-worker',
    endings: ['process.exit()', 'self.close()'],
    records: 1_000,
    run: (ending) => spawnSync(command as string, [...(args ?? []), main, argument(ending)], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 }).stderr,
  },
);
