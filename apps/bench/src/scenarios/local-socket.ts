/**
 * `local-socket`: N separate processes (spawned, no IPC: programs Tributary did not start) each log
 * R records to one file through one collector. Tools: `tributary` (`localLogger()` in each process,
 * `listenLocal()` and a file sink in the bench process; records are confirmed once written and kept
 * until then) and `limit`, the strongest simple loop: each process writes Tributary's line, 256 lines
 * per socket write, to a Unix socket; the bench process keeps each connection's unfinished line and
 * `writeSync`s the complete ones. No confirmations, nothing kept for a restart: the ceiling.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueListener } from '@tributary/core';
import { listenLocal } from '@tributary/local-socket';
import { fileSink } from '@tributary/sink-file';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';
import { verifyFile } from './verify-file.ts';

// The built script, whether this module runs built (dist/scenarios) or from source (src/scenarios, in tests).
const childScript = fileURLToPath(new URL('../../dist/scenarios/local-socket-child.js', import.meta.url));
const TOOLS = ['limit', 'tributary'] as const;
const LIMIT_LABEL = 'limit loop: Unix socket, one write per 256 lines, writeSync';

export const localSocket: Scenario = {
  name: 'local-socket',
  description: 'separate processes → a local collector (Unix socket) → one file (Tributary local-socket vs a hand-written socket loop)',
  defaults: { records: 250_000, producers: 4 },
  async run(options) {
    const tools = options.tools.length === 0 ? TOOLS : TOOLS.filter((tool) => options.tools.includes(tool));
    const results: BenchResult[] = [];
    for (const tool of tools) results.push(tool === 'limit' ? await runLimit(options) : await runTributary(options));
    return results;
  },
};

function startChildren(tool: string, options: ScenarioOptions, path: string): ChildProcess[] {
  return Array.from({ length: options.producers }, (_, index) =>
    spawn(process.execPath, [childScript, tool, String(options.records), `p${index + 1}`, path], { stdio: ['pipe', 'pipe', 'inherit'] }),
  );
}

/** Waits until every child printed `ready` (rejects if one ends first), then tells them all to go; returns the start time. */
async function startTogether(children: readonly ChildProcess[]): Promise<number> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve, reject) => {
          child.stdout?.once('data', () => resolve());
          child.once('exit', (code) => reject(new Error(`a local-socket producer ended before it was ready (exit ${code})`)));
        }),
    ),
  );
  const started = performance.now();
  for (const child of children) child.stdin?.write('go\n');
  return started;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function runTributary(options: ScenarioOptions): Promise<BenchResult> {
  const path = join(options.outDir, 'tributary.log');
  const socket = join(options.outDir, 'tributary.sock');
  const listener = new QueueListener({ sinks: [fileSink({ path })] });
  const collector = await listenLocal(listener, { path: socket });
  const children = startChildren('tributary', options, socket);
  const started = await startTogether(children);
  await Promise.all(children.map(exited));
  await collector.close();
  await listener.stop();
  const seconds = (performance.now() - started) / 1000;
  return { ...verifyFile('local-socket', 'tributary local-socket', path, options, seconds), comparedWith: LIMIT_LABEL };
}

async function runLimit(options: ScenarioOptions): Promise<BenchResult> {
  const path = join(options.outDir, 'limit.log');
  const socket = join(options.outDir, 'limit.sock');
  const fd = openSync(path, 'a');
  const ended: Promise<void>[] = [];
  const server = createServer((connection) => {
    let carry = '';
    connection.setEncoding('utf8');
    connection.on('data', (chunk: string) => {
      const end = chunk.lastIndexOf('\n');
      if (end === -1) {
        carry += chunk;
        return;
      }
      writeSync(fd, carry + chunk.slice(0, end + 1));
      carry = chunk.slice(end + 1);
    });
    ended.push(new Promise((resolve) => connection.once('close', () => resolve())));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  const children = startChildren('limit', options, socket);
  const started = await startTogether(children);
  await Promise.all(children.map(exited));
  await Promise.all(ended);
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return verifyFile('local-socket', LIMIT_LABEL, path, options, seconds);
}
