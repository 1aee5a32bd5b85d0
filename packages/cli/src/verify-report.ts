import type { LogCheck, SeqRange, SequenceCheck } from '@tributary/core';
import { textTable } from './text-table.ts';

/** The result as one JSON object: the files in the order read, then the {@link LogCheck} (`ok` is the verdict). */
export function verifyJson(files: readonly string[], check: LogCheck): string {
  return JSON.stringify({ files, ...check });
}

const COLUMNS = ['producer', 'pid', 'records', 'seq', 'missing', 'reported', 'unreported', 'duplicated', 'out of order', 'dropped'] as const;

/** The table (one row per producer's sequence) and the summary, for people. */
export function verifyReport(files: readonly string[], check: LogCheck): string {
  const rows = check.sequences.map((sequence) => [
    sequence.producer,
    sequence.pid === undefined ? '-' : String(sequence.pid),
    String(sequence.records),
    sequence.lastSeq === 0 ? '-' : `${sequence.firstSeq}-${sequence.lastSeq}`,
    String(sequence.missing),
    String(sequence.reportedLost + sequence.reportedUnknown),
    String(sequence.unexplained),
    String(sequence.duplicated),
    String(sequence.outOfOrder),
    String(sequence.droppedByProducer),
  ]);
  const out: string[] = [`files (in this order): ${files.join(', ')}`, '', ...textTable(COLUMNS, rows), ''];
  for (const sequence of check.sequences) out.push(...sequenceNotes(sequence));
  const reported = check.reported;
  const bySinks = Object.entries(reported.droppedBySinks);
  const coveredByCounts = check.sequences.reduce((total, sequence) => total + sequence.unexplained, 0) - check.unreported;
  out.push(
    `lines: ${check.lines}; records: ${check.records}; torn lines: ${check.torn}${check.unsequenced > 0 ? `; JSON lines that are not Tributary records: ${check.unsequenced}` : ''}`,
    `missing: ${check.missing} (reported lost: ${reported.lost}; after an unknown loss: ${reported.lostUnknown}; covered by sink and throttle counts: ${coveredByCounts}); unreported: ${check.unreported}`,
    `duplicated: ${check.duplicated}; out of order: ${check.outOfOrder}`,
    `reported drops: by producers' full queues ${reported.droppedByProducers} (never numbered)${bySinks.map(([sink, count]) => `; by sink ${sink} ${count}`).join('')}; suppressed by the throttle ${reported.suppressed}${reported.refused > 0 ? `; producers refused: ${reported.refused}` : ''}`,
    verdict(check),
  );
  return `${out.join('\n')}\n`;
}

function sequenceNotes(sequence: SequenceCheck): string[] {
  const notes: string[] = [];
  const who = sequence.pid === undefined ? sequence.producer : `${sequence.producer} (pid ${sequence.pid})`;
  if (sequence.missing > 0)
    notes.push(`${who}: missing seq ${sequence.holes.map(describeRange).join(', ')}${sequence.missing > sumOf(sequence.holes) ? ', …' : ''}`);
  if (sequence.lostUnknownAfterSeq !== undefined) notes.push(`${who}: reported an unknown number of records lost after seq ${sequence.lostUnknownAfterSeq}`);
  if (sequence.exit !== undefined) notes.push(`${who}: exited: ${sequence.exit}`);
  if (notes.length > 0) notes.push('');
  return notes;
}

function verdict(check: LogCheck): string {
  if (check.clean) return 'OK: every record once, in order, nothing missing';
  if (check.ok) return 'OK: every record once and in order; every missing record was reported';
  const problems = [
    check.unreported > 0 ? `${check.unreported} records lost without a report` : '',
    check.torn > 0 ? `${check.torn} torn lines` : '',
    check.duplicated > 0 ? `${check.duplicated} duplicates` : '',
    check.outOfOrder > 0 ? `${check.outOfOrder} records out of order` : '',
  ].filter((problem) => problem !== '');
  return `FAILED: ${problems.join(', ')}`;
}

function describeRange(range: SeqRange): string {
  return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}

function sumOf(ranges: readonly SeqRange[]): number {
  return ranges.reduce((total, range) => total + range.to - range.from + 1, 0);
}
