import type { ListenerSummary } from '@tributary/core';
import { textTable } from './text-table.ts';

/** The collector's summary for stderr: records per producer, per sink, the losses and the verdict. */
export function collectSummary(summary: ListenerSummary, why: string): string {
  const producers = summary.producers.map((stats) => [
    stats.producer,
    String(stats.received),
    String(stats.lost),
    String(stats.dropped),
    stats.lostUnknownAfterSeq === undefined ? '' : `unknown after seq ${stats.lostUnknownAfterSeq}`,
  ]);
  const sinks = summary.sinks.map((stats) => [
    stats.name,
    String(stats.written),
    String(stats.dropped),
    String(stats.failed),
    String(stats.pending + stats.writing),
  ]);
  const lines = [
    `tributary collect: stopped (${why})`,
    ...textTable(['producer', 'received', 'lost', 'dropped', ''], producers),
    ...textTable(['sink', 'written', 'dropped', 'failed', 'not written'], sinks),
    `received ${summary.received}, lost ${summary.lost}${summary.lostUnknown > 0 ? ` (and an unknown number from ${summary.lostUnknown} producers)` : ''}, dropped ${summary.dropped}, failed ${summary.failed}${summary.timedOut ? ', stop timed out' : ''}: ${summary.complete ? 'complete' : 'NOT complete'}`,
  ];
  return `${lines.join('\n')}\n`;
}
