import { formatTextTable } from './text-table.ts';
import type { SeedVerdict } from './check-seed.ts';

const number = (value: number): string => value.toLocaleString('en-US');

/** The seed scenario's section of the demo output: what happened, the numbers read back, and why nothing can hang. */
export function formatSeedReport(verdict: SeedVerdict): string {
  const rows = verdict.producers.map((row) => [row.producer, row.role, number(row.found), `1-${number(row.expectedSeq)}`, row.complete ? 'yes' : 'NO']);
  const lost =
    verdict.victimLostAfterSeq === undefined
      ? 'no tributary.lost record'
      : `tributary.lost: an unknown number after seq ${number(verdict.victimLostAfterSeq)} (reported, not silent; ${
          verdict.victimLostAtLeast === 0
            ? `every record up to seq ${number(verdict.victimLastSeqHeard)}, the last the pool had heard of, is there; anything it logged after it is in that reported loss`
            : `the pool had heard of seq ${number(verdict.victimLastSeqHeard)}, so at least ${number(verdict.victimLostAtLeast)} were lost in its unsent batch`
        })`;
  return [
    'The seed scenario: a process pool logging into one file, one worker SIGKILLed mid-task',
    '',
    "Python's multiprocessing.Pool workers logging into one file through a lock hang forever when one",
    'dies holding it. Here there is no lock to hold: only the listener in the main process writes the',
    'file, workers hand it their records over their own pipes, and nothing waits on a worker without a',
    'timeout. A worker killed at any instruction leaves a cut pipe, never a held lock.',
    '',
    ...formatTextTable(['producer', 'role', 'records', 'expected seq', 'complete'], rows),
    '',
    `file: ${verdict.file} (${number(verdict.lines)} lines)`,
    `torn ${number(verdict.torn)}, duplicated ${number(verdict.duplicated)}, out of order ${number(verdict.outOfOrder)}, unreported loss ${number(verdict.unreported)}`,
    `killed: ${verdict.victim} by SIGKILL; ${lost}`,
    `tasks done: ${number(verdict.tasksDone)} of ${number(verdict.tasks)}, each once (the killed worker's task went to its replacement)`,
    `after the kill, the listener wrote ${number(verdict.writtenAfterKill)} records of the other producers`,
    `elapsed ${number(verdict.elapsedMs)} ms, bound ${number(verdict.boundMs)} ms`,
    `tributary verify: ${verdict.verifyOk ? 'PASS' : 'FAIL'}`,
    `seed scenario: ${verdict.pass ? 'PASS' : `FAIL (${verdict.problems.join('; ')})`}`,
  ].join('\n');
}
