/**
 * A real child process (Node, Deno and Bun) logging through an in-process QueueListener to a stdout
 * sink, its standard output going to a pipe, a file, or a reader that goes away.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { afterAll, describe, expect, test } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const fixture = resolve(import.meta.dirname, 'fixtures/log-to-stdout.mjs');
const runtimes = [
  { name: 'node', command: process.execPath, args: [fixture] },
  { name: 'deno', command: join(root, 'node_modules/.bin/deno'), args: ['run', '-A', fixture] },
  { name: 'bun', command: join(root, 'node_modules/.bin/bun'), args: [fixture] },
] as const;
type Runtime = (typeof runtimes)[number];

const scratch = mkdtempSync(join(tmpdir(), 'sink-stdout-child-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface FixtureStats {
  readonly sink: { written: number; dropped: number; failed: number; waits: number; pipeClosed: boolean };
  readonly colors: boolean;
  readonly listener: { received: number; sinks: { written: number; failed: number; dropped: number }[] };
}

interface ChildResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stats: FixtureStats;
  /** What the fixture found its stdout to be: `blocking`, `non-blocking` or `unknown`. */
  readonly stdoutMode: string;
}

/** The fixture's environment: the parent's, without colour settings, plus `extra`. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const name of ['NO_COLOR', 'FORCE_COLOR']) if (!(name in extra)) delete env[name];
  return env;
}

function lastStats(stderr: string): FixtureStats {
  const line = splitLines(stderr)
    .reverse()
    .find((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`the fixture printed no stats; stderr:\n${stderr}`);
  return JSON.parse(line) as FixtureStats;
}

/**
 * Runs the fixture with stdout to a pipe the test reads (or to `stdoutFile`). With `readAfterLogged`,
 * the test reads nothing until the child said it is done logging, so the pipe fills up first. A child
 * whose stdout is blocking (Deno leaves it as the parent made it, and Node 24's libuv hands children
 * blocking pipes) cannot get past a full pipe, so for it the test reads from the start: its log calls
 * wait for the reader, as any blocking write does.
 */
function runChild(runtime: Runtime, env: Record<string, string>, options: { readAfterLogged?: boolean; stdoutFile?: string } = {}): Promise<ChildResult> {
  return new Promise((resolveRun, rejectRun) => {
    const outFd = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, 'w');
    const child = spawn(runtime.command, [...runtime.args], {
      cwd: root,
      env: childEnv(env),
      stdio: ['ignore', outFd ?? 'pipe', 'pipe'],
    });
    if (outFd !== undefined) closeSync(outFd);
    const out: Buffer[] = [];
    let stderr = '';
    if (child.stdout !== null) {
      child.stdout.on('data', (data: Buffer) => out.push(data));
      if (options.readAfterLogged === true) child.stdout.pause();
    }
    const errors = child.stderr;
    if (errors === null) throw new Error('the child has no stderr pipe');
    errors.setEncoding('utf8');
    errors.on('data', (text: string) => {
      stderr += text;
      if (options.readAfterLogged === true && /^(logged|stdout blocking)$/m.test(stderr)) child.stdout?.resume();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectRun(new Error(`${runtime.name} fixture did not exit within 100 s; stderr:\n${stderr}`));
    }, 100_000);
    child.on('error', rejectRun);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = options.stdoutFile === undefined ? Buffer.concat(out).toString('utf8') : readFileSync(options.stdoutFile, 'utf8');
      try {
        const stdoutMode = /^stdout (blocking|non-blocking|unknown)$/m.exec(stderr)?.[1] ?? 'not reported';
        resolveRun({ code, signal, stdout, stderr, stats: lastStats(stderr), stdoutMode });
      } catch (error) {
        rejectRun(error);
      }
    });
  });
}

/** Exactly `count` records of producer `main`, seq 1..count, nothing torn, missing, repeated or reordered. */
function expectComplete(stdout: string, count: number): void {
  const lines = splitLines(stdout);
  expect(lines.length).toBe(count);
  const check = checkOutput(lines);
  expect(check.torn).toBe(0);
  expect(check.records).toBe(count);
  expect(check.producers.get('main')).toEqual({ count, maxSeq: count, missing: 0, duplicated: 0, outOfOrder: 0 });
  expect(check.notices.size).toBe(0);
}

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/uncaught|unhandled|panic/i);
}

const ESC = '\u001b';

for (const runtime of runtimes) {
  describe(`child process on ${runtime.name}`, () => {
    test('100,000 records to a pipe that fills up: every line arrives, in order', async () => {
      const result = await runChild(runtime, { RECORDS: '100000' }, { readAfterLogged: true });
      expect(result.code).toBe(0);
      expectComplete(result.stdout, 100_000);
      expect(result.stats.sink).toMatchObject({ written: 100_000, dropped: 0, failed: 0, pipeClosed: false });
      expect(result.stats.listener.sinks[0]).toMatchObject({ written: 100_000, dropped: 0, failed: 0 });
      // Node and Bun put a stdout pipe into non-blocking mode, so the full pipe made writes wait
      // (EAGAIN, retried on a timer); a blocking stdout (Deno's) makes the writes block instead.
      expect(['blocking', 'non-blocking', 'unknown']).toContain(result.stdoutMode);
      if (result.stdoutMode === 'non-blocking') expect(result.stats.sink.waits).toBeGreaterThan(0);
    }, 120_000);

    test('100,000 records with stdout redirected to a file', async () => {
      const file = join(scratch, `${runtime.name}-file.jsonl`);
      const result = await runChild(runtime, { RECORDS: '100000' }, { stdoutFile: file });
      expect(result.code).toBe(0);
      expectComplete(result.stdout, 100_000);
    }, 120_000);

    test('process.exit() right after logging: the exit hook writes every record (writeSync)', async () => {
      // 1,000 records stay below the listener's inline-drain threshold, so they all wait in its
      // queue when process.exit() is called: only the exit hook's writeSync can get them out.
      const result = await runChild(runtime, { RECORDS: '1000', END: 'exit' });
      expect(result.code).toBe(0);
      expectComplete(result.stdout, 1_000);
      expect(result.stats.sink.written).toBe(1_000);
    }, 120_000);

    test('process.exit() right after 100,000 records, the pipe full: nothing lost', async () => {
      // The listener is in the middle of writing when process.exit() comes; its exit hook hands the
      // rest to writeSync, which waits (Atomics.wait, bounded) for the reader to make room.
      const result = await runChild(runtime, { RECORDS: '100000', END: 'exit' }, { readAfterLogged: true });
      expect(result.code).toBe(0);
      expectComplete(result.stdout, 100_000);
      expect(result.stats.sink).toMatchObject({ written: 100_000, failed: 0 });
      if (result.stdoutMode === 'non-blocking') expect(result.stats.sink.waits).toBeGreaterThan(0);
    }, 120_000);

    test('EPIPE (`app | head -1`): the child exits 0, no stack trace, the loss counted and reported once', async () => {
      const errFile = join(scratch, `${runtime.name}-head.err`);
      const codeFile = join(scratch, `${runtime.name}-head.code`);
      const script = '{ "$@" 2>"$ERR_FILE"; echo $? >"$CODE_FILE"; } | head -n 1';
      const head = spawn('sh', ['-c', script, 'sh', runtime.command, ...runtime.args], {
        cwd: root,
        env: childEnv({ RECORDS: '100000', ERR_FILE: errFile, CODE_FILE: codeFile }),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let firstLine = '';
      head.stdout.setEncoding('utf8');
      head.stdout.on('data', (text: string) => (firstLine += text));
      const shellCode = await new Promise<number | null>((resolveExit) => head.on('close', resolveExit));
      expect(shellCode).toBe(0);
      expect(JSON.parse(firstLine)).toMatchObject({ producer: 'main', seq: 1 });
      expect(readFileSync(codeFile, 'utf8').trim()).toBe('0');
      const stderr = readFileSync(errFile, 'utf8');
      expectNoStackTrace(stderr);
      expect(stderr.match(/reader closed the pipe/g)?.length).toBe(1);
      const stats = lastStats(stderr);
      expect(stats.sink.pipeClosed).toBe(true);
      expect(stats.sink.dropped).toBeGreaterThan(0);
      const runner = stats.listener.sinks[0] as { written: number; dropped: number; failed: number };
      expect(stats.sink.written + stats.sink.dropped).toBe(runner.written);
      expect([runner.dropped, runner.failed]).toEqual([stats.sink.dropped, 0]);
    }, 120_000);

    test('reader closes the pipe after one line: the child exits 0 and keeps counting', async () => {
      const child = spawn(runtime.command, [...runtime.args], {
        cwd: root,
        env: childEnv({ RECORDS: '100000' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let firstLine = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (text: string) => {
        firstLine += text;
        if (firstLine.includes('\n')) child.stdout.destroy();
      });
      let stderr = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (text: string) => (stderr += text));
      const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
      expect(code).toBe(0);
      expect(JSON.parse(firstLine.slice(0, firstLine.indexOf('\n')))).toMatchObject({ seq: 1 });
      expectNoStackTrace(stderr);
      expect(stderr.match(/reader closed the pipe/g)?.length).toBe(1);
      const stats = lastStats(stderr);
      expect(stats.sink.pipeClosed).toBe(true);
      expect(stats.sink.written + stats.sink.dropped).toBeGreaterThanOrEqual(100_000);
    }, 120_000);

    test('text format: a hostile message prints as one line with no raw control character; colours follow NO_COLOR/FORCE_COLOR', async () => {
      const plain = await runChild(runtime, { FORMAT: 'text', HOSTILE: '1' });
      const noColor = await runChild(runtime, { FORMAT: 'text', HOSTILE: '1', NO_COLOR: '1' });
      const forced = await runChild(runtime, { FORMAT: 'text', HOSTILE: '1', FORCE_COLOR: '1', NO_COLOR: '1' });
      for (const result of [plain, noColor, forced]) {
        expect(result.code).toBe(0);
        const lines = splitLines(result.stdout);
        expect(lines.length).toBe(1);
        expect(lines[0]).toContain('line one\\nforged line\\r\\x1b[31mred\\x1b[0m \\x1b]0;title\\x07 \\x9b2J end');
        expect(lines[0]).toContain('key\\nx=');
        expect(result.stdout).not.toMatch(/[\r\u0007\u0080-\u009f]/);
      }
      // stdout is a pipe, not a terminal: no colours unless FORCE_COLOR (which wins over NO_COLOR).
      expect(plain.stats.colors).toBe(false);
      expect(plain.stdout).not.toContain(ESC);
      expect(noColor.stats.colors).toBe(false);
      expect(noColor.stdout).not.toContain(ESC);
      expect(forced.stats.colors).toBe(true);
      expect(forced.stdout).toContain(`${ESC}[33m`);
      // every ESC byte is one of the formatter's own colour codes
      expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, '')).not.toContain(ESC);
    }, 120_000);
  });
}

test('the README example runs and prints one JSON line per record', async () => {
  const example = resolve(import.meta.dirname, '../examples/basic.mjs');
  const child = spawn(process.execPath, [example], { cwd: root, env: childEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const code = await new Promise<number | null>((resolveExit) => child.on('close', resolveExit));
  expect(code).toBe(0);
  const check = checkOutput(splitLines(stdout));
  expect(check.records).toBe(7);
  expect(check.producers.get('main')).toMatchObject({ count: 7, missing: 0 });
  expect(stderr).toBe('written: 7, dropped (the reader closed the pipe): 0\n');
}, 60_000);
