import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

// The parent script runs under Deno or Bun for real and imports the built packages (build first).
const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = fileURLToPath(new URL('./fixtures/runtime-parent.ts', import.meta.url));
const deno = { command: `${root}node_modules/.bin/deno`, args: ['run', '-A'] };
const bun = { command: `${root}node_modules/.bin/bun`, args: [] };

interface ParentReport {
  readonly producers: Record<string, { count: number; maxSeq: number; missing: number; duplicated: number; outOfOrder: number }>;
  readonly torn: number;
  readonly notices: Record<string, Record<string, unknown>[]>;
  readonly reasons: string[];
}

/** Runs the parent script under a runtime and parses the report it prints last. */
async function runParent(
  runtime: { command: string; args: string[] },
  how: 'fork' | 'spawn',
  children: 'node' | 'self',
  workload: 'mixed' | 'tight-loop' = 'mixed',
): Promise<ParentReport> {
  const child = spawn(runtime.command, [...runtime.args, script, how, children, workload], {
    cwd: root,
    env: { ...process.env, NODE_BINARY: process.execPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (err += String(chunk)));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{"producers"')) throw new Error(`parent exited with ${code}:\n${out.slice(-2000)}\n${err.slice(-2000)}`);
  return JSON.parse(last) as ParentReport;
}

function expectEverythingDelivered(report: ParentReport): void {
  const whole = (count: number) => ({ count, maxSeq: count, missing: 0, duplicated: 0, outOfOrder: 0 });
  expect(report.producers['a']).toEqual(whole(20_000));
  expect(report.producers['b']).toEqual(whole(2_000));
  expect(report.producers['c']).toEqual(whole(1_000)); // sync mode, then SIGKILL: nothing lost
  expect(report.producers['d']).toEqual(whole(5_000)); // batched, then process.exit()
  expect(report.torn).toBe(0);
  expect(report.reasons).toEqual(['exit code 0', 'exit code 0', 'killed by SIGKILL', 'exit code 0']);
  expect(report.notices['tributary.producer_exited']?.map((notice) => notice['exitedProducer'])).toEqual(['c']);
}

describe('parents under Deno and Bun', () => {
  test('Deno parent, Node children (spawn + attachChildProcess: Deno’s fork always runs Deno)', async () => {
    expectEverythingDelivered(await runParent(deno, 'spawn', 'node'));
  }, 120_000);

  test('Deno parent, Deno children (forkProducer)', async () => {
    expectEverythingDelivered(await runParent(deno, 'fork', 'self'));
  }, 120_000);

  test('Bun parent, Node children (forkProducer with execPath)', async () => {
    expectEverythingDelivered(await runParent(bun, 'fork', 'node'));
  }, 120_000);

  test('Bun parent, Bun children (forkProducer)', async () => {
    expectEverythingDelivered(await runParent(bun, 'fork', 'self'));
  }, 120_000);

  test.each([
    ['Deno', deno],
    ['Bun', bun],
  ] as const)(
    '%s children logging 2 × 250,000 records in a loop that never yields (default options): every record arrives once, in order',
    async (_name, runtime) => {
      const report = await runParent(runtime, 'fork', 'self', 'tight-loop');
      const whole = { count: 250_000, maxSeq: 250_000, missing: 0, duplicated: 0, outOfOrder: 0 };
      expect(report.producers).toEqual({ a: whole, b: whole });
      expect(report.torn).toBe(0);
      expect(report.notices).toEqual({});
      expect(report.reasons).toEqual(['exit code 0', 'exit code 0']);
    },
    180_000,
  );
});
