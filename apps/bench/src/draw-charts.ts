/**
 * `npm run charts [-- DIR]`: draws every results file in DIR (default: this package's `results/`)
 * as an SVG chart in `DIR/charts/<scenario>-<label>.svg`, with issue 19's targets marked.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resultsChart } from './chart-svg.ts';
import type { ResultsFile } from './results-file.ts';

/** Issue 19's targets: the ratio to the limit loop each Tributary row must reach, by scenario and label. */
export function issueTargets(file: ResultsFile): Record<string, number> {
  if (file.scenario === 'threads-to-file') return { 'tributary (node-worker ring)': file.options.producers >= 8 ? 0.85 : 0.9 };
  if (file.scenario === 'threads-deno-bun') return { 'tributary (deno-worker ring)': 0.8, 'tributary (bun-worker ring)': 0.8 };
  if (file.scenario === 'processes-to-file') return { 'tributary pipe, batched': 0.95, 'tributary pipe, sync': 0.5 };
  return {};
}

const dir = process.argv[2] ?? fileURLToPath(new URL('../results/', import.meta.url));
const chartsDir = join(dir, 'charts');
mkdirSync(chartsDir, { recursive: true });
for (const name of readdirSync(dir)
  .filter((entry) => entry.endsWith('.json'))
  .sort()) {
  const file = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ResultsFile;
  const out = join(chartsDir, `${basename(name, '.json')}.svg`);
  writeFileSync(out, resultsChart(file, { targets: issueTargets(file) }));
  console.log(out);
}
