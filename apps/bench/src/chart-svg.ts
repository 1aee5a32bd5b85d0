/**
 * Draws one results file (see `results-file.ts`) as a self-contained SVG chart, by hand: no
 * dependency. Two panels: records/s per tool (a bar for the median, a dot per round), and for each
 * tool measured against a loop its ratio to that loop per round (bar = median of the per-round
 * ratios, dots = rounds, a line at 100% and, where given, at the target).
 */
import type { ResultsFile } from './results-file.ts';
import type { BenchResult } from './scenario.ts';

export interface ChartOptions {
  /** Target ratio to the loop, by tool name (drawn as a dashed line in that tool's row). Default: none. */
  readonly targets?: Readonly<Record<string, number>>;
  /** Chart width in pixels. Default: 760. */
  readonly widthPx?: number;
}

/** One row of a panel: a median bar, the rounds as dots, the median written out. */
interface Row {
  readonly label: string;
  readonly median: number;
  readonly rounds: readonly number[];
  readonly text: string;
  /** The tool's colour, the same in both panels. */
  readonly color: string;
  readonly target?: number;
}

const LABEL_PX = 300;
const VALUE_PX = 110;
const ROW_PX = 22;
const TITLE_PX = 22;
const COLORS = ['#3b6ea8', '#c8553d', '#5a9e4b', '#8e6bb8', '#d19a2a', '#4a9ea6', '#a34f7a', '#777777'];

/** XML text with its markup characters escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function rate(result: BenchResult): number {
  return result.seconds > 0 ? result.verified / result.seconds : 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The rows of both panels, from the rounds as stored (tools in the order they first ran). */
export function chartRows(file: ResultsFile, targets: Readonly<Record<string, number>> = {}): { rates: Row[]; ratios: Row[] } {
  const tools = [...new Set(file.rounds.flatMap((round) => round.results.map((result) => result.tool)))];
  const rates: Row[] = [];
  const ratios: Row[] = [];
  for (const [index, tool] of tools.entries()) {
    const color = COLORS[index % COLORS.length] as string;
    const mine = file.rounds.flatMap((round) => round.results.filter((result) => result.tool === tool));
    const values = mine.map(rate);
    const middle = median(values);
    rates.push({ label: tool, median: middle, rounds: values, text: Math.round(middle).toLocaleString('en-US'), color });
    const comparedWith = mine.find((result) => result.comparedWith !== undefined)?.comparedWith;
    if (comparedWith === undefined) continue;
    const perRound: number[] = [];
    for (const round of file.rounds) {
      const own = round.results.find((result) => result.tool === tool);
      const loop = round.results.find((result) => result.tool === comparedWith);
      if (own !== undefined && loop !== undefined && rate(loop) > 0) perRound.push(rate(own) / rate(loop));
    }
    if (perRound.length === 0) continue;
    const ratio = median(perRound);
    const target = targets[tool];
    ratios.push({ label: tool, median: ratio, rounds: perRound, text: `${Math.round(ratio * 100)}%`, color, ...(target === undefined ? {} : { target }) });
  }
  return { rates, ratios };
}

/** The SVG document for one results file. */
export function resultsChart(file: ResultsFile, options: ChartOptions = {}): string {
  const width = options.widthPx ?? 760;
  const plot = width - LABEL_PX - VALUE_PX;
  const { rates, ratios } = chartRows(file, options.targets);
  const parts: string[] = [];
  let y = 0;
  const loads = file.rounds.flatMap((round) => [round.loadAverageAtStart[0] ?? 0, round.loadAverageAtEnd[0] ?? 0]);
  const when = file.rounds[0]?.startedAt.slice(0, 16).replace('T', ' ') ?? '';
  const heading = `${file.scenario} (${file.label}): ${file.options.producers} × ${file.options.records.toLocaleString('en-US')} records, ${file.rounds.length} round(s)`;
  const subheading = `${when} UTC, load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}; bar: median, dots: rounds`;
  y += TITLE_PX;
  parts.push(`<text x="8" y="${y - 6}" font-weight="bold">${escapeXml(heading)}</text>`);
  y += 18;
  parts.push(`<text x="8" y="${y - 4}" font-size="11" fill="#555">${escapeXml(subheading)}</text>`);
  const panel = (title: string, rows: readonly Row[], scaleMax: number, marks: readonly { value: number; label: string }[]): void => {
    y += TITLE_PX;
    parts.push(`<text x="8" y="${y - 6}" font-weight="bold" font-size="12">${escapeXml(title)}</text>`);
    const top = y;
    const scale = (value: number): number => LABEL_PX + (scaleMax > 0 ? (Math.min(value, scaleMax) / scaleMax) * plot : 0);
    for (const row of rows) {
      const color = row.color;
      const middle = y + ROW_PX / 2;
      parts.push(`<text x="${LABEL_PX - 6}" y="${middle + 4}" text-anchor="end" font-size="11">${escapeXml(row.label)}</text>`);
      parts.push(
        `<rect class="median" x="${LABEL_PX}" y="${y + 4}" width="${(scale(row.median) - LABEL_PX).toFixed(1)}" height="${ROW_PX - 8}" fill="${color}" fill-opacity="0.45"/>`,
      );
      for (const value of row.rounds) parts.push(`<circle class="round" cx="${scale(value).toFixed(1)}" cy="${middle}" r="3" fill="${color}"/>`);
      if (row.target !== undefined) {
        const x = scale(row.target).toFixed(1);
        parts.push(`<line class="target" x1="${x}" x2="${x}" y1="${y + 1}" y2="${y + ROW_PX - 1}" stroke="#000" stroke-dasharray="3,2"/>`);
      }
      parts.push(
        `<text x="${width - VALUE_PX + 6}" y="${middle + 4}" font-size="11">${escapeXml(row.text)}${row.target === undefined ? '' : ` (target ${Math.round(row.target * 100)}%)`}</text>`,
      );
      y += ROW_PX;
    }
    for (const mark of marks) {
      const x = scale(mark.value).toFixed(1);
      parts.push(`<line x1="${x}" x2="${x}" y1="${top}" y2="${y}" stroke="#999"/>`);
      parts.push(`<text x="${x}" y="${y + 12}" text-anchor="middle" font-size="10" fill="#555">${escapeXml(mark.label)}</text>`);
    }
    y += 16;
  };
  const rateMax = Math.max(0, ...rates.flatMap((row) => row.rounds));
  panel('records/s, verified', rates, rateMax, [
    { value: 0, label: '0' },
    { value: rateMax, label: Math.round(rateMax).toLocaleString('en-US') },
  ]);
  if (ratios.length > 0) {
    const ratioMax = Math.max(1.2, ...ratios.flatMap((row) => [...row.rounds, row.target ?? 0]));
    panel('ratio to the limit loop of the same round', ratios, ratioMax, [
      { value: 0, label: '0' },
      { value: 1, label: '100% (the loop)' },
    ]);
  }
  const height = y + 4;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="13">`,
    `<title>${escapeXml(heading)}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
