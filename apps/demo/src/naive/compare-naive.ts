import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { rotatingFileDemoSink } from '../sinks/rotating-file.ts';
import type { CombinationResult, CombinationSpec } from '../types.ts';
import { verifyCombination } from '../verify.ts';
import type { Verdict } from '../verify.ts';

/** The rotation size the naive writers use: the same as the demo's rotating sink. */
const MAX_SIZE = 1024 * 1024;

/**
 * Runs the same workload as the matrix with every process writing and rotating `app.log` on its own
 * (no Tributary), then reads it back exactly like the rotating sink's output.
 */
export async function runNaiveComparison(out: string, producers: number, records: number): Promise<Verdict> {
  const dir = resolve(out, 'naive', 'rotating-file');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const script = new URL('./naive-producer.js', import.meta.url).pathname;
  const started = performance.now();
  const ids = Array.from({ length: producers }, (_, index) => `n${index + 1}`);
  await Promise.all(
    ids.map(
      (id) =>
        new Promise<void>((resolvePromise) => {
          const child = spawn(process.execPath, [script, join(dir, 'app.log'), id, String(records), String(MAX_SIZE)], { stdio: 'ignore' });
          child.once('close', () => resolvePromise());
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const spec: CombinationSpec = { adapter: 'naive', sink: 'rotating-file', producers, records, dir, chaos: false, seed: 0, collector: 'embedded' };
  const result: CombinationResult = {
    spec,
    runtime: 'node',
    producers: ids.map((id) => ({ id, logged: records, killed: false })),
    seconds,
    listener: { received: 0, lost: 0, timedOut: false },
  };
  const verdict = verifyCombination('naive: each process rotates on its own', result, await rotatingFileDemoSink.readBack(dir));
  const oversize = filesOverMaxSize(dir);
  if (oversize.count === 0) return verdict;
  return { ...verdict, pass: false, problem: `${oversize.count} files over 1 MiB, largest ${(oversize.largest / 1048576).toFixed(1)} MiB` };
}

/** Uncompressed files over the rotation size, and the largest: several writers rotating on their own overshoot. */
export function filesOverMaxSize(dir: string): { count: number; largest: number } {
  let count = 0;
  let largest = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('app.log') || name.endsWith('.gz')) continue;
    const size = statSync(join(dir, name)).size;
    if (size > MAX_SIZE) count += 1;
    largest = Math.max(largest, size);
  }
  return { count, largest };
}
