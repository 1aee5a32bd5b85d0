import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import { CHANNEL_FD_VARIABLE, PRODUCER_VARIABLE, attachChildProcess, channelClosed } from '@tributary/node-child-process';
import { repoRoot, runtimeCommands } from '../../../tooling/runtime-tests/runtimes.ts';

// The child runs the built packages on each runtime: run `npx turbo run build` first.
const fixture = fileURLToPath(new URL('./fixtures/levels-child.mjs', import.meta.url));

/** Starts the fixture as a child on `runtime` with `variables`, attaches it, returns the levels that arrived. */
async function levelsFrom(command: string, args: readonly string[], variables: Record<string, string>): Promise<unknown[]> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], onReport: () => {}, drainOnExit: false, drainOnSignals: false });
  const environment: Record<string, string | undefined> = { ...process.env, [CHANNEL_FD_VARIABLE]: '3', [PRODUCER_VARIABLE]: 'levels' };
  delete environment['TRIBUTARY_LEVEL'];
  delete environment['LOG_LEVEL'];
  const child = spawn(command, [...args, fixture], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit', 'pipe', 'pipe'],
    env: { ...environment, ...variables },
  });
  attachChildProcess(listener, child);
  await channelClosed(child);
  await listener.stop();
  return sink
    .lines()
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => record['logger'] === 'levels')
    .map((record) => record['level']);
}

// Node and Bun children from this Node parent; a Deno child needs a Deno parent (Deno does not hand a
// spawned child the extra pipes), and Deno's reading of the variables is covered in core's tests.
const children = runtimeCommands.filter(([name]) => name !== 'deno');

describe('connectToParent: the level from the environment', () => {
  for (const [name, command, args] of children) {
    test(`${name} child: TRIBUTARY_LEVEL wins over LOG_LEVEL, names in any case`, async () => {
      expect(await levelsFrom(command, args, { TRIBUTARY_LEVEL: 'ERROR', LOG_LEVEL: 'trace' })).toEqual(['error', 'fatal']);
    });

    test(`${name} child: LOG_LEVEL alone applies; none gives info`, async () => {
      expect(await levelsFrom(command, args, { LOG_LEVEL: 'Debug' })).toEqual(['debug', 'info', 'warn', 'error', 'fatal']);
      expect(await levelsFrom(command, args, {})).toEqual(['info', 'warn', 'error', 'fatal']);
    });
  }
});
