/**
 * `processes-to-file`: N forked child processes each log R records to one file through one listener
 * in the parent. Tools: Tributary's pipe in batched and in synchronous mode, and two hand-written
 * loops over Node's IPC channel (the transport the adapter did not choose): `limit`, Tributary's line
 * as one string per 256 lines per `process.send`, written with `writeSync` (what Tributary's ratio
 * is taken against), and `ipc`, the bench's first loop (arrays of strings, a write stream).
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, createWriteStream, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueListener } from '@tributary/core';
import { channelClosed, forkProducer } from '@tributary/node-child-process';
import { fileSink } from '@tributary/sink-file';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';
import { verifyFile } from './verify-file.ts';

const childScript = fileURLToPath(new URL('./processes-child.js', import.meta.url));
const TOOLS = ['ipc', 'limit', 'tributary-batched', 'tributary-sync'] as const;
const LIMIT_LABEL = 'limit loop: process.send, one string per 256 lines';

export const processesToFile: Scenario = {
  name: 'processes-to-file',
  description: 'child processes → one listener → one file (Tributary pipe batched/sync vs hand-written IPC loops)',
  defaults: { records: 250_000, producers: 4 },
  async run(options) {
    const tools = options.tools.length === 0 ? TOOLS : TOOLS.filter((tool) => options.tools.includes(tool));
    const results: BenchResult[] = [];
    for (const tool of tools) {
      if (tool === 'ipc') results.push(await runIpc(options));
      else if (tool === 'limit') results.push(await runLimit(options));
      else results.push(await runTributary(tool, options));
    }
    return results;
  },
};

async function runTributary(tool: 'tributary-batched' | 'tributary-sync', options: ScenarioOptions): Promise<BenchResult> {
  const path = join(options.outDir, `${tool}.log`);
  const listener = new QueueListener({ sinks: [fileSink({ path })] });
  const children = Array.from(
    { length: options.producers },
    (_, index) =>
      forkProducer(listener, childScript, [tool, String(options.records)], { producer: `p${index + 1}`, execArgv: [], stdio: ['ignore', 'inherit', 'inherit'] })
        .child,
  );
  const perCall = collectCallCosts(children);
  const started = await startTogether(children);
  await Promise.all(children.map((child) => channelClosed(child)));
  await listener.stop();
  const seconds = (performance.now() - started) / 1000;
  const result = {
    ...verifyFile('processes-to-file', tool === 'tributary-batched' ? 'tributary pipe, batched' : 'tributary pipe, sync', path, options, seconds),
    comparedWith: LIMIT_LABEL,
  };
  return perCall.length === 0 ? result : { ...result, nsPerCall: perCall.reduce((sum, value) => sum + value, 0) / perCall.length };
}

/** Gathers each child's own measure of its CPU time per log call (system calls included). */
function collectCallCosts(children: readonly ChildProcess[]): number[] {
  const costs: number[] = [];
  for (const child of children) {
    child.on('message', (message: unknown) => {
      const cost = (message as { nsPerCall?: unknown } | null)?.nsPerCall;
      if (typeof cost === 'number') costs.push(cost);
    });
  }
  return costs;
}

async function runIpc(options: ScenarioOptions): Promise<BenchResult> {
  const path = join(options.outDir, 'ipc.log');
  const out = createWriteStream(path);
  const children = Array.from({ length: options.producers }, () =>
    fork(childScript, ['ipc', String(options.records)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  for (const child of children) {
    child.on('message', (message) => {
      if (Array.isArray(message)) out.write(`${message.join('\n')}\n`);
    });
  }
  const started = await startTogether(children);
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('exit', resolve))));
  await new Promise<void>((resolve) => out.end(resolve));
  const seconds = (performance.now() - started) / 1000;
  return verifyFile('processes-to-file', 'old IPC loop (string[] per send)', path, options, seconds);
}

/** The honest limit: each child sends one string per 256 lines; each message is appended with one `writeSync`. */
async function runLimit(options: ScenarioOptions): Promise<BenchResult> {
  const path = join(options.outDir, 'limit.log');
  const fd = openSync(path, 'a');
  const children = Array.from({ length: options.producers }, (_, index) =>
    fork(childScript, ['limit', String(options.records), `p${index + 1}`], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  for (const child of children) {
    child.on('message', (message) => {
      // Batches end with a newline; the child's 'ready' does not.
      if (typeof message === 'string' && message.endsWith('\n')) writeSync(fd, message);
    });
  }
  // 'disconnect' comes after the last message the child sent has been read.
  const closed = children.map((child) =>
    Promise.all([new Promise((resolve) => child.once('exit', resolve)), new Promise((resolve) => child.once('disconnect', resolve))]),
  );
  const started = await startTogether(children);
  await Promise.all(closed);
  const seconds = (performance.now() - started) / 1000;
  closeSync(fd);
  return verifyFile('processes-to-file', LIMIT_LABEL, path, options, seconds);
}

/** Waits until every child is ready, then tells them all to go; returns the start time. */
async function startTogether(children: readonly ChildProcess[]): Promise<number> {
  await Promise.all(children.map((child) => new Promise<void>((resolve) => child.once('message', () => resolve()))));
  const started = performance.now();
  for (const child of children) child.send('go');
  return started;
}
