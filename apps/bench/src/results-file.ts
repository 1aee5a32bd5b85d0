/**
 * The JSON results of one scenario's run (every round, every tool, the summary, the load average
 * and the line checks), written by the CLI to `<results>/<scenario>-<label>.json` and drawn as SVG
 * charts by `draw-charts.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { compareLines } from './line-shape.ts';
import type { LineComparison } from './line-shape.ts';
import type { ToolSummary } from './rounds-summary.ts';
import type { BenchResult } from './scenario.ts';

/** One round as stored: its results and the load average (1, 5, 15 minutes) when it began and ended. */
export interface StoredRound {
  readonly startedAt: string;
  readonly loadAverageAtStart: readonly number[];
  readonly loadAverageAtEnd: readonly number[];
  readonly results: readonly BenchResult[];
  /** Per tool measured against a loop: whether the two wrote the same line. */
  readonly lineChecks: readonly LineCheck[];
}

export interface LineCheck extends Partial<LineComparison> {
  readonly tool: string;
  readonly comparedWith: string;
  /** Why there is no comparison (a side did not run or kept no line). */
  readonly skipped?: string;
}

/** What a results file holds. */
export interface ResultsFile {
  readonly scenario: string;
  /** Tells apart runs of one scenario with other options, e.g. `8p`, `4p-cold`. */
  readonly label: string;
  readonly description: string;
  readonly options: {
    readonly records: number;
    readonly producers: number;
    readonly warmup: number;
    readonly tools: readonly string[];
    readonly rounds: number;
  };
  readonly host: { readonly node: string; readonly platform: string; readonly cores: number };
  readonly rounds: readonly StoredRound[];
  /** Each tool's median and range over the rounds, and its per-round ratio to the loop it is compared with. */
  readonly summary: readonly ToolSummary[];
}

/** The default label of a run: producers, and for scenarios with a warm-up, warm or cold. */
export function defaultLabel(producers: number, warmup: number | undefined): string {
  return warmup === undefined ? `${producers}p` : `${producers}p-${warmup === 0 ? 'cold' : 'warm'}`;
}

/** Compares the sample line of every tool that is measured against a loop with that loop's, in one round. */
export function lineChecks(round: readonly BenchResult[]): LineCheck[] {
  const checks: LineCheck[] = [];
  for (const result of round) {
    const comparedWith = result.comparedWith;
    if (comparedWith === undefined) continue;
    const loop = round.find((other) => other.tool === comparedWith);
    if (loop === undefined) checks.push({ tool: result.tool, comparedWith, skipped: 'the loop did not run in this round' });
    else if (result.sampleLine === undefined || loop.sampleLine === undefined) checks.push({ tool: result.tool, comparedWith, skipped: 'no line kept' });
    else checks.push({ tool: result.tool, comparedWith, ...compareLines(result.sampleLine, loop.sampleLine) });
  }
  return checks;
}

/** A line check as one line of text for the console. */
export function describeLineCheck(check: LineCheck): string {
  if (check.skipped !== undefined) return `line check, ${check.tool} against ${check.comparedWith}: skipped (${check.skipped})`;
  const verdict = check.same ? 'the same line' : `LINES DIFFER:\n  ${check.lines?.[0]}\n  ${check.lines?.[1]}`;
  return `line check, ${check.tool} against ${check.comparedWith}: ${verdict} (${check.bytes} and ${check.comparedBytes} bytes)`;
}

/** The current load average, rounded to two decimals. */
export function loadAverage(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}

/** The host facts a results file records. */
export function hostFacts(): ResultsFile['host'] {
  return { node: process.version, platform: `${process.platform}-${process.arch}`, cores: cpus().length };
}

/** Writes `file` as `<dir>/<scenario>-<label>.json`; returns its path. */
export function writeResultsFile(dir: string, file: ResultsFile): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${file.scenario}-${file.label}.json`);
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
