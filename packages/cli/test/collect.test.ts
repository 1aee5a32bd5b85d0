/**
 * `tributary collect`, the real bin as the collector process on Node, Deno and Bun, with producers
 * in separate Node processes logging through `localLogger()`; its files checked with `tributary verify`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogCheck } from '@tributary/core';
import { waitFor } from '@tributary/core/testing';
import { createReceiver } from '@tributary/sink-socket/receiver';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI_RUNNERS } from './spawn-cli.ts';
import type { CliRunner, RunningCli } from './spawn-cli.ts';
import { expectTributaryVerifiedLines } from '../../../tooling/runtime-tests/tributary-verify.ts';

const scratch = mkdtempSync(join(tmpdir(), 'tributary-collect-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => mkdtempSync(join(scratch, `${++dirs}-`));
const PRODUCER = join(import.meta.dirname, 'fixtures', 'local-producer.mjs');

/** Starts the collector and waits for its "listening on" line; returns it and the address producers use. */
async function startCollector(cli: CliRunner, args: readonly string[]): Promise<{ collector: RunningCli; address: string }> {
  const collector = cli.start(['collect', ...args]);
  let exited = false;
  void collector.exited.then(() => {
    exited = true;
  });
  await waitFor(() => exited || /listening on \S+;/.test(collector.stderr), `the collector to listen; stderr: ${collector.stderr}`, 60_000);
  const listening = /listening on (\S+);/.exec(collector.stderr)?.[1];
  if (listening === undefined) throw new Error(`the collector did not start: ${collector.stderr}`);
  const port = /^127\.0\.0\.1:(\d+)$/.exec(listening)?.[1];
  return { collector, address: port === undefined ? listening : `tcp:${port}` };
}

/** Runs producer processes (Node, localLogger) at once, each logging `count` records; resolves when all ended well. */
async function produce(address: string, ids: readonly string[], count: number): Promise<void> {
  await Promise.all(
    ids.map(
      (id) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [PRODUCER, address, id, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => (output += chunk));
          child.stderr.on('data', (chunk: Buffer) => (output += chunk));
          child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`producer ${id} exited ${code}: ${output}`))));
        }),
    ),
  );
}

/** `tributary verify --json` on `files`: its exit code and result. */
async function verify(cli: CliRunner, files: readonly string[], extra: readonly string[] = []): Promise<{ code: number | null; result: LogCheck }> {
  const { code, stdout, stderr } = await cli.run(['verify', '--json', ...extra, ...files]);
  if (stdout === '') throw new Error(`verify printed nothing: ${stderr}`);
  return { code, result: JSON.parse(stdout) as LogCheck };
}
/**
 * Known defect of @tributary/local-socket (branch local, not of this command): a Deno collector
 * sometimes misses a Node producer's goodbye and reports "an unknown number of records after seq N"
 * with N its last record (nothing is missing). On Deno, that one report is tolerated: the summary
 * row may carry `unknown after seq <last>` and the listener's own notices are left out of the counts.
 */
const toleratesMissedBye = (cli: CliRunner): boolean => cli.name === 'deno';
const recordsOf = (result: LogCheck, cli?: CliRunner): Record<string, number> =>
  Object.fromEntries(
    result.sequences
      .filter((sequence) => !(cli !== undefined && toleratesMissedBye(cli) && sequence.producer === 'listener'))
      .map((sequence) => [sequence.producer, sequence.records]),
  );
/** The summary row of a producer that sent `count` records, all written. */
const summaryRow = (cli: CliRunner, id: string, count: number): RegExp =>
  new RegExp(`^${id} +${count} +0 +0${toleratesMissedBye(cli) ? `(  unknown after seq ${count})?` : ''}$`, 'm');

describe.each(CLI_RUNNERS)('$name: tributary collect', (cli) => {
  test('--port 0 into --file and --rotate --compress: SIGTERM drains, exit 0, the summary on stderr; verify passes', async () => {
    const dir = freshDir();
    const file = join(dir, 'all.log');
    const rotated = join(dir, 'app.log');
    const { collector, address } = await startCollector(cli, [
      '--port',
      '0',
      '--file',
      file,
      '--rotate',
      rotated,
      '--max-size',
      '64KiB',
      '--keep',
      '1000',
      '--compress',
    ]);
    await produce(address, ['p1', 'p2', 'p3'], 3_000);
    collector.child.kill('SIGTERM');
    const { code } = await collector.exited;
    expect(code, collector.stderr).toBe(0);
    expect(collector.stderr).toMatch(/^tributary collect: stopped \(SIGTERM\)$/m);
    for (const id of ['p1', 'p2', 'p3']) expect(collector.stderr, collector.stderr).toMatch(summaryRow(cli, id, 3_000));
    expect(collector.stderr).toMatch(
      toleratesMissedBye(cli)
        ? /^received 9000, lost 0( \(and an unknown number from \d producers\))?, dropped 0, failed 0: (NOT )?complete$/m
        : /^received 9000, lost 0, dropped 0, failed 0: complete$/m,
    );
    const plain = await verify(cli, [file]);
    expect(plain.code).toBe(0);
    expect(recordsOf(plain.result, cli)).toEqual({ p1: 3_000, p2: 3_000, p3: 3_000 });
    expect(plain.result.clean).toBe(true);
    const set = [rotated, ...Array.from({ length: 40 }, (_, index) => `${rotated}.${index + 1}.gz`).filter((path) => existsSync(path))];
    expect(set.length).toBeGreaterThan(3);
    const fromRotated = await verify(cli, set.reverse());
    expect(fromRotated.code).toBe(0);
    expect(recordsOf(fromRotated.result, cli)).toEqual({ p1: 3_000, p2: 3_000, p3: 3_000 });
  }, 180_000);

  test('SIGHUP after the file was moved away (logrotate "create"): the collector reopens it; both files verify as one', async () => {
    const dir = freshDir();
    const file = join(dir, 'app.log');
    const { collector, address } = await startCollector(cli, ['--socket', join(dir, 'log.sock'), '--file', file]);
    await produce(address, ['before-1', 'before-2'], 2_000); // confirmed: written by the sink
    renameSync(file, `${file}.1`);
    collector.child.kill('SIGHUP');
    // The reopen creates the file at once (the sink's own path watch would only see the move at the next write).
    await waitFor(() => existsSync(file) && collector.stderr.includes(`SIGHUP: reopened ${file}`), `the reopen; stderr: ${collector.stderr}`, 60_000);
    await produce(address, ['after-1', 'after-2'], 2_000);
    collector.child.kill('SIGINT');
    expect((await collector.exited).code, collector.stderr).toBe(0);
    expect(collector.stderr).toMatch(/^tributary collect: stopped \(SIGINT\)$/m);
    const moved = await verify(cli, [`${file}.1`]);
    expect(recordsOf(moved.result, cli)).toEqual({ 'before-1': 2_000, 'before-2': 2_000 });
    const current = await verify(cli, [file]);
    expect(recordsOf(current.result, cli)).toEqual({ 'after-1': 2_000, 'after-2': 2_000 });
    const both = await verify(cli, [file, `${file}.1`]);
    expect(both.code).toBe(0);
    expect(both.result.ok).toBe(true);
    expect(existsSync(join(dir, 'log.sock'))).toBe(false);
  }, 180_000);

  test('--stdout and --syslog to a collector on 127.0.0.1: every record reaches both', async () => {
    const dir = freshDir();
    const receiver = await createReceiver({ transport: 'tcp', keep: true });
    try {
      const { collector, address } = await startCollector(cli, ['--socket', join(dir, 'log.sock'), '--stdout', '--syslog', `tcp://127.0.0.1:${receiver.port}`]);
      await produce(address, ['s1'], 500);
      collector.child.kill('SIGTERM');
      expect((await collector.exited).code, collector.stderr).toBe(0);
      // On Deno the listener's own report of a missed goodbye (the known defect above) may follow.
      const ours = (line: string): boolean => !(toleratesMissedBye(cli) && (JSON.parse(line) as { producer?: string }).producer === 'listener');
      const printed = collector.stdout.split('\n').filter((line) => line !== '' && ours(line));
      expect(printed.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
      await waitFor(() => receiver.received >= 500, `500 records at the syslog receiver; got ${receiver.received}`, 60_000);
      const seqs = receiver
        .records()
        .filter((record) => ours(record.payload))
        .map((record) => (JSON.parse(record.payload) as { seq: number }).seq);
      expect(seqs).toEqual(Array.from({ length: 500 }, (_, index) => index + 1));
      expect(receiver.records()[0]?.syslog).toBeDefined();
      // Both outputs through `tributary verify` on Node as well: exit 0, s1's 500 records, no unreported loss.
      expectTributaryVerifiedLines(
        collector.stdout.split('\n').filter((line) => line !== ''),
        { records: { s1: 500 } },
      );
      expectTributaryVerifiedLines(
        receiver.records().map((record) => record.payload),
        { records: { s1: 500 } },
      );
    } finally {
      await receiver.close();
    }
  }, 180_000);

  test('bad usage: exit 2 with one message before anything listens; --help', async () => {
    const noSink = await cli.run(['collect', '--port', '0']);
    expect(noSink.code).toBe(2);
    expect(noSink.stderr).toBe(
      "tributary: collect needs at least one sink: --file FILE, --rotate FILE, --stdout or --syslog URL\nRun 'tributary collect --help' for usage.\n",
    );
    const badSize = await cli.run(['collect', '--port', '0', '--rotate', join(scratch, 'x.log'), '--max-size', '10 MB-ish']);
    expect(badSize.code).toBe(2);
    expect(badSize.stderr).toMatch(/^tributary: collect: --max-size must be a size .*; got "10 MB-ish"\n/);
    const regular = join(scratch, `regular-${cli.name}`);
    writeFileSync(regular, '');
    const badPath = await cli.run(['collect', '--port', '0', '--file', join(regular, 'app.log')]);
    expect(badPath.code).toBe(2);
    expect(badPath.stderr).toMatch(/^tributary: fileSink: cannot log to .*app\.log/);
    const help = await cli.run(['collect', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tributary collect \(--socket PATH \| --port N\) SINK\.\.\. \[options\]\n/);
  }, 60_000);
});
