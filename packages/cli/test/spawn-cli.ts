import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import { runtimeCommands } from '../../../tooling/runtime-tests/runtimes.ts';

/** The bin as npm links it (`node_modules/.bin/tributary` → bin/tributary.js → dist/bin.js), which `npx tributary` runs. */
export const BIN = resolve(import.meta.dirname, '../../../node_modules/.bin/tributary');
/** The package's examples: `app.mjs` is the application of the dev-loop test. */
export const EXAMPLES = resolve(import.meta.dirname, '../examples');

/** A running `tributary` process and what it printed so far. */
export interface RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until stdout satisfies `condition`. */
  waitForOutput(condition: (stdout: string) => boolean, what: string): Promise<void>;
}

/** The environment without colour settings (so output to a pipe is plain), plus `extra`. */
export function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const key of ['FORCE_COLOR', 'NO_COLOR']) if (!(key in extra)) delete env[key];
  return env;
}

/** The CLI started on one runtime: Node through the npm bin link, Deno and Bun on the built `dist/bin.js`. */
export interface CliRunner {
  /** `node`, `deno` or `bun`. */
  readonly name: string;
  /** The command and arguments that run a script on this runtime (for a fixture application). */
  readonly script: (path: string, args: readonly string[]) => readonly [string, readonly string[]];
  /** The command line (program first) that runs the bin with `args`. */
  command(args: readonly string[]): readonly string[];
  /** Starts the bin with `args`, its standard streams on pipes. */
  start(args: readonly string[], env?: NodeJS.ProcessEnv): RunningCli;
  /** Runs the bin to its end with `input` on standard input. */
  run(args: readonly string[], input?: string | Uint8Array, env?: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

const DIST_BIN = resolve(import.meta.dirname, '../dist/bin.js');

/** Node (the bin as `npx tributary` runs it), Deno and Bun. */
export const CLI_RUNNERS: readonly CliRunner[] = runtimeCommands.map(([name, command, prefix]) => {
  const script = (path: string, args: readonly string[]): readonly [string, readonly string[]] => [command, [...prefix, path, ...args]];
  const commandLine = (args: readonly string[]): readonly string[] => {
    const [file, argv] = name === 'node' ? [BIN, args] : script(DIST_BIN, args);
    return [file, ...argv];
  };
  const start = (args: readonly string[], env: NodeJS.ProcessEnv = plainEnv()): RunningCli => {
    const [file, ...argv] = commandLine(args);
    return startProcess(file as string, argv, env);
  };
  const run: CliRunner['run'] = async (args, input = '', env) => {
    const running = start(args, env);
    running.child.stdin.end(input);
    const { code } = await running.exited;
    return { code, stdout: running.stdout, stderr: running.stderr };
  };
  return { name, script, command: commandLine, start, run };
});

function startProcess(file: string, args: readonly string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(file, [...args], { env, stdio: 'pipe' });
  const running: RunningCli = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolvePromise) => child.on('close', (code, signal) => resolvePromise({ code, signal }))),
    waitForOutput: (condition, what) => waitFor(() => condition(running.stdout), `${what}; stdout so far: ${JSON.stringify(running.stdout)}`),
  };
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    running.stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    running.stderr += text;
  });
  return running;
}

let seq = 0;
/** One canonical record line (time fixed, so the output can be compared exactly). */
export function recordLine(fields: Record<string, unknown> = {}): string {
  seq += 1;
  return JSON.stringify({ time: '2026-11-26T23:20:50.123Z', level: 'info', msg: `record ${seq}`, logger: 'app', producer: 'main', seq, pid: 42, ...fields });
}

/** The header the pretty output starts a record with. */
export function header(level: string, producer: string, logger: string, msg: string): string {
  return `23:20:50.123 ${level.toUpperCase().padEnd(5)} [${producer}] ${logger}: ${msg}`;
}
