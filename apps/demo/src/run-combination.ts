import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CombinationResult, CombinationSpec, DemoAdapter } from './types.ts';

const demoRoot = resolve(import.meta.dirname, '..');
const repoRoot = resolve(demoRoot, '../..');

/** How a combination's process ended. */
export interface CombinationRun {
  readonly result: CombinationResult | undefined;
  readonly exitCode: number | null;
  readonly problem?: string;
}

/** The command that runs `combination.js` on the adapter's runtime. */
function runtimeCommand(runtime: DemoAdapter['runtime']): [string, string[]] {
  const script = join(demoRoot, 'dist', 'combination.js');
  if (runtime === 'deno') return [join(repoRoot, 'node_modules', '.bin', 'deno'), ['run', '-A', script]];
  if (runtime === 'bun') return [join(repoRoot, 'node_modules', '.bin', 'bun'), [script]];
  return [process.execPath, [script]];
}

/**
 * Runs one combination in its own process and waits for it. The sink's output lands in `spec.dir`;
 * so does the process's stdout (`stdout.log`, which IS the output for the stdout sink) and stderr.
 */
export function runCombination(adapter: DemoAdapter, spec: CombinationSpec, onProgress: (logged: number) => void): Promise<CombinationRun> {
  rmSync(spec.dir, { recursive: true, force: true });
  mkdirSync(spec.dir, { recursive: true });
  const stdoutFd = openSync(join(spec.dir, 'stdout.log'), 'w');
  const [command, args] = runtimeCommand(adapter.runtime);
  const child = spawn(command, [...args, JSON.stringify(spec)], { stdio: ['ignore', stdoutFd, 'pipe'], cwd: repoRoot });
  closeSync(stdoutFd);
  const stderrLines: string[] = [];
  let buffered = '';
  const stderr = child.stderr;
  stderr?.setEncoding('utf8');
  stderr?.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const progress = /^PROGRESS (\d+)$/.exec(line);
      if (progress !== null) onProgress(Number(progress[1]));
      else stderrLines.push(line);
    }
  });
  return new Promise((resolvePromise) => {
    child.on('error', (error) => resolvePromise({ result: undefined, exitCode: null, problem: `could not start ${command}: ${error.message}` }));
    child.on('close', (code, signal) => {
      if (buffered !== '') stderrLines.push(buffered);
      writeFileSync(join(spec.dir, 'stderr.log'), stderrLines.join('\n'));
      const resultFile = join(spec.dir, 'result.json');
      const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as CombinationResult) : undefined;
      const problem =
        code === 0
          ? undefined
          : `exited with ${signal ?? `code ${code}`}: ${stderrLines
              .filter((line) => !line.startsWith('REPORT'))
              .slice(-3)
              .join(' | ')}`;
      resolvePromise({ result, exitCode: code, ...(problem === undefined ? {} : { problem }) });
    });
  });
}
