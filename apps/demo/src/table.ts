import type { Verdict } from './verify.ts';

const number = (value: number): string => value.toLocaleString('en-US');

/** The demo's summary table, one row per combination. */
export function formatTable(verdicts: readonly Verdict[], chaos: boolean): string {
  const header = ['combination', 'expected', 'found', 'lost', 'reported', 'duplicated', 'torn', 'out of order', 'records/s'];
  if (chaos) header.push('reported after seq', 'killed', 'killed: logged', 'killed: written');
  header.push('verdict');
  const rows = verdicts.map((verdict) => {
    const row = [
      verdict.combination,
      number(verdict.expected),
      number(verdict.found),
      number(verdict.lost),
      number(verdict.reported),
      number(verdict.duplicated),
      number(verdict.torn),
      number(verdict.outOfOrder),
      number(verdict.recordsPerSecond),
    ];
    if (chaos) row.push(number(verdict.reportedAfterSeq), number(verdict.killed), number(verdict.killedLogged), number(verdict.killedWritten));
    row.push(verdict.pass ? 'PASS' : `FAIL${verdict.problem === undefined ? '' : ` (${verdict.problem})`}`);
    return row;
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
