/** Shared pieces of the runtime-neutral suites: a collector with a memory sink, and producer processes on each runtime. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QueueListener } from '@tributary/core';
import type { ListenerReport, ListenerSummary } from '@tributary/core';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import type { MemorySink, OutputCheck } from '@tributary/core/testing';
import { listenLocal } from '@tributary/local-socket';
import type { ListenLocalOptions, LocalCollector } from '@tributary/local-socket';

const here = import.meta.dirname ?? new URL('.', import.meta.url).pathname;
const repoRoot = resolve(here, '../../../..');
const bin = (name: string): string => join(repoRoot, 'node_modules', '.bin', name);
declare const Deno: unknown;
declare const Bun: unknown;
const onNode = typeof Deno === 'undefined' && typeof Bun === 'undefined';

/** `[runtime, command, arguments before the script]` of the three producer runtimes. */
export const RUNTIMES: readonly (readonly [string, string, readonly string[]])[] = [
  ['node', onNode ? process.execPath : 'node', []],
  ['deno', bin('deno'), ['run', '-A']],
  ['bun', bin('bun'), []],
];

/** A fixture file's path. */
export function fixture(name: string): string {
  return join(here, '..', 'fixtures', name);
}

/** A private temporary directory (mode 0700, as mkdtemp makes it) for sockets. */
export function tempDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tributary-local-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A process started for a test: its output so far and its end. */
export interface Started {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: string | null }>;
  /** Waits until its stdout contains `text`. */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
}

/** Starts `script` with `args` on a runtime (`node`, `deno` or `bun`). */
export function startProcess(runtime: string, script: string, args: readonly string[], env: Record<string, string> = {}): Started {
  const entry = RUNTIMES.find(([name]) => name === runtime);
  if (entry === undefined) throw new Error(`unknown runtime ${runtime}`);
  const child = spawn(entry[1], [...entry[2], script, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: resolve(here, '../..'),
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Uint8Array) => (output += new TextDecoder().decode(chunk)));
  child.stderr?.on('data', (chunk: Uint8Array) => (output += new TextDecoder().decode(chunk)));
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => child.on('exit', (code, signal) => done({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    waitForOutput: (text, timeoutMs = 60_000) =>
      waitFor(() => output.includes(text), `${runtime} ${script} to print ${JSON.stringify(text)}: ${output}`, timeoutMs),
  };
}

/** Starts the producer fixture: `count` records as `producer` (or the default id for `-`), then `end`. */
export function startProducer(
  runtime: string,
  address: string,
  producer: string,
  count: number,
  end: string,
  options: object = {},
  env: Record<string, string> = {},
): Started {
  return startProcess(runtime, fixture('producer.mjs'), [address, producer, String(count), end, JSON.stringify(options)], env);
}

/** A collector on a memory sink, in this process. */
export interface TestCollector {
  readonly listener: QueueListener;
  readonly sink: MemorySink;
  readonly collector: LocalCollector;
  readonly reports: ListenerReport[];
  /** The address argument of the producer fixture. */
  readonly address: string;
  /** Closes the collector, stops the listener and checks the output. */
  finish(): Promise<{ readonly summary: ListenerSummary; readonly check: OutputCheck; readonly lines: string[] }>;
}

export async function startCollector(dir: string, options: Partial<ListenLocalOptions> = {}): Promise<TestCollector> {
  const sink = memorySink();
  const reports: ListenerReport[] = [];
  const listener = new QueueListener({ sinks: [sink], onReport: (report) => reports.push(report) });
  const where = options.port === undefined ? { path: join(dir, 'collector.sock') } : {};
  const collector = await listenLocal(listener, { ...where, ...options });
  const address = 'path' in collector.address ? collector.address.path : `tcp:${collector.address.port}`;
  return {
    listener,
    sink,
    collector,
    reports,
    address,
    async finish() {
      await collector.close();
      const summary = await listener.stop();
      const lines = sink.lines();
      return { summary, check: checkOutput(lines), lines };
    },
  };
}

/** The records of one producer in the output, in order. */
export function recordsOf(lines: readonly string[], producer: string): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((record) => record['producer'] === producer);
}

/** Fails with `what` and the output unless `condition`. */
export function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}
