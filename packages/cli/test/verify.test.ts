/**
 * `tributary verify`, spawned as the built bin on Node, Deno and Bun, on logs written by real
 * producers (worker threads and child processes through a listener into the file and rotating-file
 * sinks), as written and after lines were torn, duplicated or removed.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LogCheck } from '@tributary/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI_RUNNERS } from './spawn-cli.ts';

const RECORDS = 2_000;
const scratch = mkdtempSync(join(tmpdir(), 'tributary-verify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Written {
  readonly summary: { lost: number; dropped: number; producers: { producer: string; received: number; lost: number; dropped: number }[] };
}

/** Runs write-log.mjs (real producers, one listener, one sink) and returns the listener's summary. */
function writeLog(config: Record<string, unknown>): Written {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, 'fixtures', 'write-log.mjs'), JSON.stringify(config)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`write-log.mjs failed (${result.status}): ${result.stderr}`);
  return { summary: JSON.parse(result.stdout.trim().split('\n').pop() as string) };
}

const rotatedDir = join(scratch, 'rotated');
const plainDir = join(scratch, 'plain');
let rotated: Written;
let rotatedFiles: string[];
let plainLines: string[];

beforeAll(() => {
  mkdirSync(rotatedDir);
  mkdirSync(plainDir);
  // Rotating file sink, 64 KiB files, gzip: 2 workers, 2 children and the main thread; a worker whose
  // ring (1 KiB) fills while the listener's thread is blocked (reported: tributary.lost with its
  // range) and a child whose queue (2,000 chars) is full (reported: tributary.dropped, count only).
  rotated = writeLog({
    path: join(rotatedDir, 'app.log'),
    sink: 'rotating',
    records: RECORDS,
    workers: 2,
    children: 2,
    stalledWorker: RECORDS,
    tinyQueueChild: RECORDS,
  });
  rotatedFiles = readdirSync(rotatedDir).map((name) => join(rotatedDir, name));
  writeLog({ path: join(plainDir, 'app.log'), sink: 'file', records: RECORDS, workers: 2, children: 1 });
  plainLines = readFileSync(join(plainDir, 'app.log'), 'utf8').split('\n').slice(0, -1);
}, 240_000);

/** A copy of the plain log with `edit` applied to its lines. */
function editedLog(name: string, edit: (lines: string[]) => string[]): string {
  const path = join(scratch, name);
  writeFileSync(path, `${edit([...plainLines]).join('\n')}\n`);
  return path;
}
/** The index of the line of `producer` with sequence number `seq`. */
function lineOf(lines: readonly string[], producer: string, seq: number): number {
  const index = lines.findIndex((line) => line.includes(`"producer":"${producer}","seq":${seq},`));
  if (index < 0) throw new Error(`no line of ${producer} seq ${seq}`);
  return index;
}
/** The paths in an order that is not the set's (sorted by their names written backwards). */
const scrambled = (paths: readonly string[]): string[] => {
  const key = (path: string): string => [...path].reverse().join('');
  return [...paths].sort((a, b) => (key(a) < key(b) ? -1 : 1));
};

describe.each(CLI_RUNNERS)('$name: tributary verify', (cli) => {
  test('a rotated, gzipped set given in any order: read oldest first; every producer complete; reported losses told apart', async () => {
    expect(rotatedFiles.length).toBeGreaterThan(10);
    const { code, stdout, stderr } = await cli.run(['verify', '--json', ...scrambled(rotatedFiles)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as LogCheck & { files: string[] };
    // app.log.N.gz … app.log.1.gz, then app.log.
    const numbers = result.files.map((file) => /app\.log(?:\.(\d+)\.gz)?$/.exec(file)?.[1]);
    expect(numbers.at(-1)).toBeUndefined();
    expect(numbers.slice(0, -1).map(Number)).toEqual(
      numbers
        .slice(0, -1)
        .map(Number)
        .sort((a, b) => b - a),
    );
    expect(result.files.length).toBe(rotatedFiles.length);
    const byProducer = new Map(result.sequences.map((sequence) => [sequence.producer, sequence]));
    for (const producer of ['main', 'w1', 'w2', 'c1', 'c2']) {
      expect(byProducer.get(producer)?.records, producer).toBe(RECORDS);
      expect(byProducer.get(producer)?.missing, producer).toBe(0);
    }
    const lostBySummary = rotated.summary.producers.find((stats) => stats.producer === 'stalled')?.lost ?? 0;
    const droppedBySummary = rotated.summary.producers.find((stats) => stats.producer === 'tiny-queue')?.dropped ?? 0;
    expect(lostBySummary).toBeGreaterThan(0);
    expect(droppedBySummary).toBeGreaterThan(0);
    expect(byProducer.get('stalled')?.missing).toBe(lostBySummary);
    expect(byProducer.get('stalled')?.reportedLost).toBe(lostBySummary);
    expect(result.reported.lost).toBe(lostBySummary);
    expect(byProducer.get('tiny-queue')?.droppedByProducer).toBe(droppedBySummary);
    expect(result.reported.droppedByProducers).toBe(droppedBySummary);
    expect(result).toMatchObject({ torn: 0, duplicated: 0, outOfOrder: 0, unreported: 0, ok: true, clean: false });
  });

  test('the table and summary for people', async () => {
    const { code, stdout } = await cli.run(['verify', ...rotatedFiles]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^producer +pid +records +seq +missing +reported +unreported +duplicated +out of order +dropped$/m);
    expect(stdout).toMatch(new RegExp(`^w1 +\\d+ +${RECORDS} +1-${RECORDS} +0 +0 +0 +0 +0 +0$`, 'm'));
    expect(stdout).toMatch(/^stalled \(pid \d+\): missing seq \d+-\d+$/m);
    expect(stdout).toMatch(/OK: every record once and in order; every missing record was reported\n$/);
  });

  test('a clean plain file: exit 0', async () => {
    const { code, stdout } = await cli.run(['verify', join(plainDir, 'app.log')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/OK: every record once, in order, nothing missing\n$/);
  });

  test('a removed, a duplicated and a torn line: each counted, exit 1', async () => {
    const path = editedLog(`edited-${cli.name}.log`, (lines) => {
      lines.splice(lineOf(lines, 'w1', 500), 1);
      const duplicate = lineOf(lines, 'c1', 100);
      lines.splice(duplicate + 1, 0, lines[duplicate] as string);
      const torn = lineOf(lines, 'w2', 700);
      lines[torn] = (lines[torn] as string).slice(0, 40);
      return lines;
    });
    const { code, stdout } = await cli.run(['verify', '--json', path]);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as LogCheck;
    expect(result).toMatchObject({ torn: 1, duplicated: 1, missing: 2, unreported: 2, ok: false });
    const holes = Object.fromEntries(result.sequences.map((sequence) => [sequence.producer, sequence.holes]));
    expect(holes['w1']).toEqual([{ from: 500, to: 500 }]);
    expect(holes['w2']).toEqual([{ from: 700, to: 700 }]);
    const text = await cli.run(['verify', path]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAILED: 2 records lost without a report, 1 torn lines, 1 duplicates\n$/);
  });

  test('records out of order: exit 1', async () => {
    const path = editedLog(`reordered-${cli.name}.log`, (lines) => {
      const at = lineOf(lines, 'w1', 10);
      const later = lineOf(lines, 'w1', 11);
      [lines[at], lines[later]] = [lines[later] as string, lines[at] as string];
      return lines;
    });
    const { code, stdout } = await cli.run(['verify', '--json', path]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ outOfOrder: 1, missing: 0, ok: false });
  });

  test('a rotated file removed from the middle of the set: unreported holes; the oldest removed: --partial passes', async () => {
    const numbered = (n: number): string => join(rotatedDir, `app.log.${n}.gz`);
    const linesOf = (n: number): string[] =>
      gunzipSync(readFileSync(numbered(n)))
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== '');
    const oldest = Math.max(...rotatedFiles.map((file) => Number(/\.(\d+)\.gz$/.exec(file)?.[1] ?? 0)));
    const producersOf = (n: number): Set<string> => new Set(linesOf(n).map((line) => String((JSON.parse(line) as { producer?: unknown }).producer)));
    // A file from the middle without Tributary's own records, and whose every producer logged again in a
    // newer file (a removed tail cannot be seen), so every record it held is a loss nobody reported.
    const loggedLater = (n: number): boolean => {
      const newer = new Set<string>();
      for (let m = 1; m < n; m += 1) for (const producer of producersOf(m)) newer.add(producer);
      return [...producersOf(n)].every((producer) => newer.has(producer));
    };
    let removed = Math.max(2, Math.floor(oldest / 2));
    while (removed < oldest && (linesOf(removed).some((line) => line.includes('"logger":"tributary"')) || !loggedLater(removed))) removed += 1;
    expect(removed).toBeLessThan(oldest);
    const whole = JSON.parse((await cli.run(['verify', '--json', ...rotatedFiles])).stdout) as LogCheck;
    const gap = await cli.run(['verify', '--json', ...rotatedFiles.filter((file) => file !== numbered(removed))]);
    expect(gap.code).toBe(1);
    const gapCheck = JSON.parse(gap.stdout) as LogCheck;
    // Every record of the removed file is a hole; counts a sink reported (naming no producer) may excuse some.
    expect(gapCheck.missing - whole.missing).toBe(linesOf(removed).length);
    expect(gapCheck.unreported).toBeGreaterThan(0);
    expect(gapCheck.unreported).toBeLessThanOrEqual(linesOf(removed).length);
    const withoutOldest = rotatedFiles.filter((file) => file !== numbered(oldest));
    expect((await cli.run(['verify', ...withoutOldest])).code).toBe(1);
    const partial = await cli.run(['verify', '--partial', '--json', ...withoutOldest]);
    expect(partial.code).toBe(0);
    expect(JSON.parse(partial.stdout)).toMatchObject({ unreported: 0, ok: true });
  });

  test('standard input ("-"), gzipped', async () => {
    const gz = readFileSync(join(rotatedDir, 'app.log.1.gz'));
    const { code, stdout } = await cli.run(['verify', '--json', '--partial', '-'], gz);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ files: ['standard input'], torn: 0 });
  });

  test('bad usage: exit 2 with one line on stderr; --help on stdout', async () => {
    const none = await cli.run(['verify']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe(`tributary: verify needs at least one FILE ("-" for standard input)\nRun 'tributary verify --help' for usage.\n`);
    const missing = await cli.run(['verify', join(scratch, 'no-such.log')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^tributary: cannot read .*no-such\.log: .*\(ENOENT\)\n/);
    const unknown = await cli.run(['verify', '--jsn', join(plainDir, 'app.log')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^tributary: unknown option --jsn\n/);
    const help = await cli.run(['verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: tributary verify \[options\] FILE\.\.\.\n/);
    expect((await cli.run(['help', 'verify'])).stdout).toBe(help.stdout);
  });
});
