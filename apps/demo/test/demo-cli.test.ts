import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { systemDaemon } from '../../../tooling/runtime-tests/system-daemon.ts';

// The rsyslog test skips with one line when rsyslogd is missing, except under CI=true (an error there).
const rsyslogd = systemDaemon({ binary: 'rsyslogd', install: 'apt-get install -y rsyslog' });
const cli = resolve(import.meta.dirname, '../dist/cli.js');
const out = mkdtempSync(join(tmpdir(), 'tributary-demo-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

interface Report {
  readonly verdicts: readonly {
    combination: string;
    pass: boolean;
    expected: number;
    found: number;
    killed: number;
    killedLogged: number;
    killedWritten: number;
  }[];
  readonly options: { readonly seed: number };
  readonly failed: number;
}

function demo(...args: string[]): { status: number | null; report: Report } {
  // The matrix only: the seed scenario has its own test (seed.test.ts).
  const run = spawnSync(process.execPath, [cli, '--out', out, '--json', '--scenario', 'matrix', ...args], { encoding: 'utf8', timeout: 240_000 });
  if (run.status !== 0 && run.stdout === '') throw new Error(`demo failed: ${run.stderr}`);
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

describe('npm run demo (built dist)', () => {
  test('node adapters × every sink: every record written once, in order', () => {
    const { status, report } = demo('--adapter', 'node-worker,node-child-process,in-process,cluster', '--sink', 'all', '--producers', '2', '--records', '3000');
    expect(report.verdicts.map((verdict) => verdict.combination)).toHaveLength(20);
    for (const verdict of report.verdicts) expect(verdict, verdict.combination).toMatchObject({ pass: true, expected: 6000, found: 6000 });
    expect(status).toBe(0);
  }, 300_000);

  test('local-socket: separate Node, Deno and Bun processes × file and stdout, every record once, in order', () => {
    const { status, report } = demo('--adapter', 'local-socket', '--sink', 'file,stdout', '--producers', '3', '--records', '3000');
    expect(report.verdicts.map((verdict) => verdict.combination)).toEqual(['local-socket × file', 'local-socket × stdout']);
    for (const verdict of report.verdicts) expect(verdict, verdict.combination).toMatchObject({ pass: true, expected: 9000, found: 9000 });
    expect(status).toBe(0);
  }, 300_000);

  test('pool: a piscina pool whose threads nobody handed a ring (acceptWorkers) × file and socket, every record once, in order', () => {
    const { status, report } = demo('--adapter', 'pool', '--sink', 'file,socket', '--producers', '3', '--records', '4000');
    expect(report.verdicts.map((verdict) => verdict.combination)).toEqual(['pool × file', 'pool × socket']);
    for (const verdict of report.verdicts) expect(verdict, verdict.combination).toMatchObject({ pass: true, expected: 12000, found: 12000 });
    expect(status).toBe(0);
  }, 300_000);

  test('pm2: cluster-mode instances of a private pm2 daemon × file, every record once, in order', () => {
    const { status, report } = demo('--adapter', 'pm2', '--sink', 'file', '--producers', '2', '--records', '3000');
    expect(report.verdicts).toHaveLength(1);
    expect(report.verdicts[0]).toMatchObject({ combination: 'pm2 × file', pass: true, expected: 6000, found: 6000 });
    expect(status).toBe(0);
  }, 300_000);

  test('local-socket chaos: SIGKILLed separate processes lose only what the collector reports', () => {
    const { status, report } = demo('--adapter', 'local-socket', '--sink', 'file', '--producers', '4', '--records', '10000', '--chaos', '--seed', '3');
    const [verdict] = report.verdicts;
    expect(verdict).toMatchObject({ combination: 'local-socket × file', pass: true, killed: 2 });
    // The two replacements and the two producers left alone write everything.
    expect(verdict?.found).toBeGreaterThanOrEqual(40_000);
    expect(status).toBe(0);
  }, 300_000);

  test('chaos: killed worker threads and processes lose nothing their log calls returned from', () => {
    const { status, report } = demo(
      '--adapter',
      'node-worker,node-child-process',
      '--sink',
      'file',
      '--producers',
      '4',
      '--records',
      '20000',
      '--chaos',
      '--seed',
      '7',
    );
    expect(report.options.seed).toBe(7);
    for (const verdict of report.verdicts) {
      expect(verdict.pass, verdict.combination).toBe(true);
      // Half of the four are chosen, and each is killed by its timer or, at the latest, at its share + 5%.
      expect(verdict.killed, verdict.combination).toBe(2);
      expect(verdict.killedWritten, verdict.combination).toBe(verdict.killedLogged);
    }
    expect(status).toBe(0);
  }, 300_000);

  test('chaos with the otlp sink: the receiver stops and restarts once, and every record arrives once', () => {
    const { status, report } = demo('--adapter', 'in-process,node-worker', '--sink', 'otlp', '--producers', '2', '--records', '5000', '--chaos', '--seed', '1');
    expect(report.verdicts).toHaveLength(2);
    for (const verdict of report.verdicts) {
      expect(verdict.pass, verdict.combination).toBe(true);
      expect(verdict.found, verdict.combination).toBe(verdict.expected);
      const [adapter] = verdict.combination.split(' × ');
      const stderr = readFileSync(join(out, adapter as string, 'otlp', 'stderr.log'), 'utf8');
      expect(stderr.match(/^CHAOS the OTLP receiver stopped after taking \d+ records$/gm), verdict.combination).toHaveLength(1);
      expect(stderr.match(/^CHAOS the OTLP receiver restarted on port \d+ after \d+ failed tries$/gm), verdict.combination).toHaveLength(1);
    }
    expect(status).toBe(0);
  }, 300_000);

  test.skipIf(rsyslogd.skip)(
    '--collector rsyslog: the socket sink feeds a real, private rsyslogd (installed by .ci/run)',
    () => {
      const { status, report } = demo('--adapter', 'in-process', '--sink', 'socket', '--collector', 'rsyslog', '--producers', '2', '--records', '2000');
      expect(report.verdicts[0]).toMatchObject({ pass: true, expected: 4000, found: 4000 });
      expect(status).toBe(0);
    },
    120_000,
  );

  test('--help prints every option and exits 0', () => {
    const run = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    for (const flag of ['--chaos', '--seed', '--collector', '--compare-naive', '--scenario', '--json']) expect(run.stdout).toContain(flag);
  });

  test('bad arguments get a clear error and exit 2', () => {
    const run = spawnSync(process.execPath, [cli, '--adapter', 'nope'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('unknown --adapter "nope"');
    const scenario = spawnSync(process.execPath, [cli, '--scenario', 'pool'], { encoding: 'utf8' });
    expect(scenario.status).toBe(2);
    expect(scenario.stderr).toContain('--scenario must be all, matrix or seed; got "pool"');
  });
});
