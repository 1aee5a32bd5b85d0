/**
 * `npm run bench -- [scenario...] [--records N] [--producers N] [--warmup N] [--rounds N] [--tools a,b] [--out DIR] [--results DIR] [--label NAME] [--json]`
 * Runs the named scenarios (default: all), verifies every output by reading it back, and prints a table;
 * with `--rounds N`, runs each scenario N times and ends with each tool's median and range. Output
 * files go to `<out>/<scenario>/` (emptied before each round); without `--out`, to a new temporary
 * folder that is removed when the run ends. Each scenario's results are written as JSON to
 * `<results>/<scenario>-<label>.json` (default folder: `<out>/results` with `--out`, else this
 * package's `results/`; default label: the producers, and warm or cold where there is a warm-up);
 * `npm run charts` draws them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultLabel, describeLineCheck, hostFacts, lineChecks, loadAverage, writeResultsFile } from './results-file.ts';
import type { StoredRound } from './results-file.ts';
import { summarizeRounds, summaryTable } from './rounds-summary.ts';
import type { BenchResult } from './scenario.ts';
import { scenarios } from './scenarios/index.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    records: { type: 'string' },
    producers: { type: 'string' },
    warmup: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    tools: { type: 'string' },
    out: { type: 'string' },
    results: { type: 'string' },
    label: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const selected = positionals.length === 0 ? scenarios : scenarios.filter((scenario) => positionals.includes(scenario.name));
const unknown = positionals.filter((name) => !scenarios.some((scenario) => scenario.name === name));
if (unknown.length > 0) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ') || '(none)'}`);
  process.exit(2);
}
const refusingWarmup = selected.filter((scenario) => scenario.defaults.warmup === undefined);
if (values.warmup !== undefined && refusingWarmup.length > 0) {
  console.error(`--warmup: not supported by ${refusingWarmup.map((s) => s.name).join(', ')} (they always measure from a cold start)`);
  process.exit(2);
}
const warmup = values.warmup === undefined ? undefined : Number(values.warmup);
if (warmup !== undefined && !(Number.isSafeInteger(warmup) && warmup >= 0)) {
  console.error(`--warmup: expected a whole number of records per producer, got ${values.warmup}`);
  process.exit(2);
}
const rounds = Number(values.rounds);
if (!(Number.isSafeInteger(rounds) && rounds >= 1)) {
  console.error(`--rounds: expected a whole number of at least 1, got ${values.rounds}`);
  process.exit(2);
}
const outRoot = values.out ?? mkdtempSync(join(tmpdir(), 'tributary-bench-'));
const resultsDir = values.results ?? (values.out === undefined ? fileURLToPath(new URL('../results/', import.meta.url)) : join(values.out, 'results'));
const results: BenchResult[] = [];
const summaries: { scenario: string; tools: ReturnType<typeof summarizeRounds> }[] = [];
try {
  for (const scenario of selected) {
    if (!values.json) console.log(`\n# ${scenario.name}: ${scenario.description}`);
    const ranRounds: BenchResult[][] = [];
    const stored: StoredRound[] = [];
    const options = {
      records: values.records === undefined ? scenario.defaults.records : Number(values.records),
      producers: values.producers === undefined ? scenario.defaults.producers : Number(values.producers),
      tools: values.tools === undefined ? [] : values.tools.split(','),
      warmup: warmup ?? scenario.defaults.warmup ?? 0,
    };
    for (let round = 1; round <= rounds; round++) {
      if (!values.json && rounds > 1) console.log(`\n## round ${round} of ${rounds}`);
      // Each round writes into a fresh folder; only the last round's output is kept.
      const outDir = join(outRoot, scenario.name);
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir, { recursive: true });
      const startedAt = new Date().toISOString();
      const loadAverageAtStart = loadAverage();
      const ran = await scenario.run({ ...options, outDir });
      const checks = lineChecks(ran);
      stored.push({ startedAt, loadAverageAtStart, loadAverageAtEnd: loadAverage(), results: ran, lineChecks: checks });
      ranRounds.push(ran);
      results.push(...ran);
      if (!values.json) {
        console.log(`load average ${loadAverageAtStart.join(' ')} → ${loadAverage().join(' ')}`);
        printTable(ran);
        for (const check of checks) console.log(describeLineCheck(check));
      }
    }
    const tools = summarizeRounds(ranRounds);
    if (rounds > 1) {
      summaries.push({ scenario: scenario.name, tools });
      if (!values.json) console.log(`\n## ${scenario.name}: ${rounds} rounds\n${summaryTable(tools)}`);
    }
    const label = values.label ?? defaultLabel(options.producers, scenario.defaults.warmup === undefined ? undefined : options.warmup);
    const written = writeResultsFile(resultsDir, {
      scenario: scenario.name,
      label,
      description: scenario.description,
      options: { ...options, rounds },
      host: hostFacts(),
      rounds: stored,
      summary: tools,
    });
    if (!values.json) console.log(`results: ${written}`);
  }
} finally {
  // A folder of our own making goes when the run ends (its files can be gigabytes); --out DIR keeps them.
  if (values.out === undefined) rmSync(outRoot, { recursive: true, force: true });
}
if (values.json) console.log(JSON.stringify({ results, ...(summaries.length > 0 ? { summaries } : {}) }, null, 2));

function printTable(rows: readonly BenchResult[]): void {
  console.log('| tool | records | verified | lost | torn | seconds | records/s | ns/call | peak RSS MiB | note |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) {
    const rate = Math.round(row.verified / row.seconds).toLocaleString('en-US');
    console.log(
      `| ${row.tool} | ${row.records.toLocaleString('en-US')} | ${row.verified.toLocaleString('en-US')} | ${row.lost} | ${row.torn} | ${row.seconds.toFixed(2)} | ${rate} | ${row.nsPerCall?.toFixed(0) ?? ''} | ${row.peakRssMiB?.toFixed(0) ?? ''} | ${row.note ?? ''} |`,
    );
  }
}
