import type { BenchResult } from './scenario.ts';

/** One tool's figures over several rounds of a scenario. */
export interface ToolSummary {
  readonly tool: string;
  readonly rounds: number;
  /** Verified records per second: median, lowest, highest. */
  readonly rate: Spread;
  /** Against the tool named in `comparedWith`, in the same round (1 = as fast), when it ran. */
  readonly ratio?: Spread & { readonly comparedWith: string };
  /** Nanoseconds per log call (median, lowest, highest), when every round measured it. */
  readonly nsPerCall?: Spread;
  /** Records lost or torn in all rounds together. */
  readonly lost: number;
  readonly torn: number;
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Median, lowest and highest of some numbers (at least one). */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

function rate(result: BenchResult): number {
  return result.verified / result.seconds;
}

/**
 * Sums up the rounds of one scenario (`rounds[i]` = the results of round i), tool by tool in the
 * order they first ran. A tool's ratio is taken per round, against the result of the tool it names
 * in `comparedWith` in that same round, so a machine that is busier in one round than another
 * weighs on both sides alike.
 */
export function summarizeRounds(rounds: readonly (readonly BenchResult[])[]): ToolSummary[] {
  const tools = [...new Set(rounds.flatMap((round) => round.map((result) => result.tool)))];
  return tools.map((tool) => {
    const mine = rounds.flatMap((round) => round.filter((result) => result.tool === tool));
    const comparedWith = mine.find((result) => result.comparedWith !== undefined)?.comparedWith;
    const ratios: number[] = [];
    if (comparedWith !== undefined) {
      for (const round of rounds) {
        const own = round.find((result) => result.tool === tool);
        const other = round.find((result) => result.tool === comparedWith);
        if (own !== undefined && other !== undefined && rate(other) > 0) ratios.push(rate(own) / rate(other));
      }
    }
    const nsPerCall = mine.map((result) => result.nsPerCall).filter((value) => value !== undefined);
    return {
      tool,
      rounds: mine.length,
      rate: spread(mine.map(rate)),
      ...(nsPerCall.length === mine.length ? { nsPerCall: spread(nsPerCall) } : {}),
      ...(comparedWith !== undefined && ratios.length > 0 ? { ratio: { ...spread(ratios), comparedWith } } : {}),
      lost: mine.reduce((sum, result) => sum + result.lost, 0),
      torn: mine.reduce((sum, result) => sum + result.torn, 0),
    };
  });
}

/** The summary as a Markdown table. */
export function summaryTable(summaries: readonly ToolSummary[]): string {
  const number = (value: number): string => Math.round(value).toLocaleString('en-US');
  const percent = (value: number): string => `${Math.round(value * 100)}%`;
  // Below 100 ns (disabled calls) one decimal tells the rows apart.
  const nanoseconds = (value: number): string => (value < 100 ? value.toFixed(1) : number(value));
  const lines = [
    '| tool | rounds | records/s median | lowest – highest | lost | torn | per round, against | median | lowest – highest | ns/call median | lowest – highest |',
    '|---|---:|---:|---|---:|---:|---|---:|---|---:|---|',
  ];
  for (const summary of summaries) {
    const { ratio, nsPerCall } = summary;
    lines.push(
      `| ${summary.tool} | ${summary.rounds} | ${number(summary.rate.median)} | ${number(summary.rate.min)} – ${number(summary.rate.max)} | ${summary.lost} | ${summary.torn} | ` +
        (ratio === undefined ? '| | |' : `${ratio.comparedWith} | ${percent(ratio.median)} | ${percent(ratio.min)} – ${percent(ratio.max)} |`) +
        (nsPerCall === undefined ? ' | |' : ` ${nanoseconds(nsPerCall.median)} | ${nanoseconds(nsPerCall.min)} – ${nanoseconds(nsPerCall.max)} |`),
    );
  }
  return lines.join('\n');
}
