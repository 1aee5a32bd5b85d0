/**
 * `npm run demo -- [options]` (`--help` lists them; apps/demo/README.md explains them).
 *
 * Runs every chosen adapter × sink combination (each in its own process, on the adapter's runtime),
 * reads every output back, and prints a table: expected, found, lost, reported, duplicated, torn, out
 * of order, records/s, verdict. Then the seed scenario (`--scenario seed` alone): a process pool and
 * the main thread logging into one file, one worker SIGKILLed. Exits 1 if any combination or the
 * seed scenario fails.
 */
import { resolve } from 'node:path';
import { demoAdapters } from './adapters/index.ts';
import { runNaiveComparison } from './naive/compare-naive.ts';
import { combinationSeed } from './chaos.ts';
import { demoUsage, parseDemoOptions } from './options.ts';
import { runCombination } from './run-combination.ts';
import { demoSinks } from './sinks/index.ts';
import { formatSeedReport } from './seed/seed-report.ts';
import { runSeedScenario } from './seed/seed-scenario.ts';
import type { SeedVerdict } from './seed/check-seed.ts';
import { formatTable } from './table.ts';
import type { CombinationSpec } from './types.ts';
import { verifyCombination } from './verify.ts';
import type { Verdict } from './verify.ts';

const known = { adapters: demoAdapters.map((a) => a.name), sinks: demoSinks.map((s) => s.name) };
let options: ReturnType<typeof parseDemoOptions>;
try {
  options = parseDemoOptions(process.argv.slice(2), known);
} catch (error) {
  console.error(`demo: ${(error as Error).message}\n\n${demoUsage(known)}`);
  process.exit(2);
}
if (options.help) {
  console.log(demoUsage(known));
  process.exit(0);
}

const out = resolve(options.out);
const live = process.stderr.isTTY === true && !options.json;
const verdicts: Verdict[] = [];
const matrix = options.scenario !== 'seed';
const matrixAdapters = matrix ? options.adapters : [];
const total = matrixAdapters.length * options.sinks.length;
let index = 0;
if (!options.json && matrix) {
  console.log(
    `Tributary demo: ${total} combination(s), ${options.producers} producers × ${options.records.toLocaleString('en-US')} records each${options.chaos ? `, chaos mode (--seed ${options.seed})` : ''}; output in ${out}`,
  );
}
for (const adapterName of matrixAdapters) {
  const adapter = demoAdapters.find((candidate) => candidate.name === adapterName)!;
  for (const sinkName of options.sinks) {
    const demoSink = demoSinks.find((candidate) => candidate.name === sinkName)!;
    index += 1;
    const name = `${adapterName} × ${sinkName}`;
    const spec: CombinationSpec = {
      adapter: adapterName,
      sink: sinkName,
      producers: options.producers,
      records: options.records,
      dir: resolve(out, adapterName, sinkName),
      chaos: options.chaos,
      seed: combinationSeed(options.seed, index - 1),
      collector: options.collector,
    };
    const expected = options.producers * options.records;
    const prefix = `[${index}/${total}] ${name}`;
    if (!options.json && !live) console.log(`${prefix} …`);
    const run = await runCombination(adapter, spec, (logged) => {
      if (live) process.stderr.write(`\r${prefix}: ${Math.min(100, Math.floor((logged / expected) * 100))}% logged `);
    });
    if (live) process.stderr.write('\r\u001b[2K');
    let lines: string[] = [];
    let problem = run.problem;
    try {
      lines = await demoSink.readBack(spec.dir);
    } catch (error) {
      problem ??= `could not read the output back: ${(error as Error).message}`;
    }
    const verdict = verifyCombination(name, run.result, lines, problem);
    verdicts.push(verdict);
    if (!options.json)
      console.log(
        `${prefix}: ${verdict.pass ? 'PASS' : 'FAIL'} (${verdict.found.toLocaleString('en-US')}/${verdict.expected.toLocaleString('en-US')} records, ${verdict.recordsPerSecond.toLocaleString('en-US')} records/s)`,
      );
  }
}

const failed = verdicts.filter((verdict) => !verdict.pass).length;
let naive: Verdict | undefined;
if (options.compareNaive && matrix) {
  if (!options.json) console.log(`\n[naive] ${options.producers} processes each writing and rotating ${out}/naive/rotating-file/app.log on their own …`);
  naive = await runNaiveComparison(out, options.producers, options.records);
}
let seed: SeedVerdict | undefined;
if (options.scenario !== 'matrix') {
  if (!options.json) console.log(`\n[seed] a pool of child processes and the main thread logging into ${out}/seed/app.log, one worker SIGKILLed mid-task …`);
  seed = await runSeedScenario(out);
}
if (options.json) {
  console.log(
    JSON.stringify(
      {
        options: { ...options, out },
        verdicts,
        passed: verdicts.length - failed,
        failed,
        ...(naive === undefined ? {} : { naive }),
        ...(seed === undefined ? {} : { seed }),
      },
      null,
      2,
    ),
  );
} else if (matrix) {
  console.log(`\n${formatTable(verdicts, options.chaos)}\n`);
  console.log(
    `${verdicts.length - failed} of ${verdicts.length} combinations passed${failed > 0 ? `; ${failed} FAILED` : ''}. Outputs: ${out}/<adapter>/<sink>/`,
  );
  if (naive !== undefined) {
    const tributary = verdicts.filter((verdict) => verdict.combination.endsWith('× rotating-file'));
    console.log(
      `\nSide by side, same workload, rotation at 1 MiB (the naive row is expected to fail: that is the problem Tributary solves):\n${formatTable([...tributary, naive], false)}\n`,
    );
  }
}
if (seed !== undefined && !options.json) console.log(`\n${formatSeedReport(seed)}\n`);
process.exit(failed === 0 && seed?.pass !== false ? 0 : 1);
