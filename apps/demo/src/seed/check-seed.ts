import { LogChecker } from '@tributary/core';
import type { LogCheck } from '@tributary/core';
import { readLines } from '../sinks/read-lines.ts';
import type { PoolRun } from './run-pool.ts';

/** One producer of the seed scenario, read back from the file. */
export interface SeedProducerRow {
  readonly producer: string;
  /** Records found (distinct sequence numbers, its own `tributary.*` records included). */
  readonly found: number;
  readonly lastSeq: number;
  /** What had to be there: 1..expectedSeq, every number once. */
  readonly expectedSeq: number;
  readonly complete: boolean;
  readonly role: 'main' | 'worker' | 'killed' | 'replacement';
}

/** The seed scenario's verdict, every number read back from the one file. */
export interface SeedVerdict {
  readonly file: string;
  readonly lines: number;
  readonly torn: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly unreported: number;
  /** `tributary verify`'s verdict (core's LogChecker): every record once and in order, or its loss reported. */
  readonly verifyOk: boolean;
  readonly producers: readonly SeedProducerRow[];
  readonly victim: string;
  /** The victim's last sequence number it told the pool about before the kill. */
  readonly victimLastSeqHeard: number;
  /** `afterSeq` of the listener's `tributary.lost` for the victim (unknown count), if written. */
  readonly victimLostAfterSeq: number | undefined;
  /** Of the victim's records the pool heard of, those not in the file (all after `afterSeq`). */
  readonly victimLostAtLeast: number;
  /** Tasks whose `task done` the main thread logged, each exactly once. */
  readonly tasksDone: number;
  readonly tasks: number;
  /** Other producers' records logged (hence written) after the SIGKILL was sent. */
  readonly writtenAfterKill: number;
  readonly elapsedMs: number;
  readonly boundMs: number;
  readonly pass: boolean;
  readonly problems: readonly string[];
}

/** Reads the seed scenario's file back and checks it with `tributary verify`'s logic plus the pool's own facts. */
export function checkSeed(run: PoolRun): SeedVerdict {
  const checker = new LogChecker();
  const doneTasks = new Map<number, number>();
  let writtenAfterKill = 0;
  const lines = readLines(run.file);
  for (const line of lines) {
    const record = checker.add(line);
    if (record === undefined) continue;
    if (record['producer'] === 'main' && record['msg'] === 'task done' && typeof record['task'] === 'number') {
      doneTasks.set(record['task'], (doneTasks.get(record['task']) ?? 0) + 1);
    }
    const time = typeof record['time'] === 'string' ? Date.parse(record['time']) : Number.NaN;
    if (run.killedAtMs !== undefined && record['producer'] !== run.victim && time > run.killedAtMs) writtenAfterKill += 1;
  }
  const check: LogCheck = checker.result();
  const problems: string[] = [];
  const sequence = (producer: string) => check.sequences.find((candidate) => candidate.producer === producer);
  const victimSequence = sequence(run.victim);
  const victimLostAfterSeq = victimSequence?.lostUnknownAfterSeq;
  const row = (producer: string, role: SeedProducerRow['role'], expectedSeq: number): SeedProducerRow => {
    const found = sequence(producer);
    const lastSeq = found?.lastSeq ?? 0;
    const complete = (found?.records ?? 0) === expectedSeq && lastSeq === expectedSeq && (found?.firstSeq ?? 1) === 1;
    if (!complete) problems.push(`${producer}: found ${found?.records ?? 0} records up to seq ${lastSeq}, expected 1..${expectedSeq}`);
    return { producer, found: found?.records ?? 0, lastSeq, expectedSeq, complete, role };
  };
  const producers: SeedProducerRow[] = [row('main', 'main', run.mainLogged)];
  for (const id of run.workerIds) {
    if (id === run.victim) {
      // Everything up to the listener's afterSeq must be there; nothing after it can be.
      const upTo = victimLostAfterSeq ?? sequence(id)?.lastSeq ?? 0;
      producers.push(row(id, 'killed', upTo));
    } else producers.push(row(id, id === run.replacement ? 'replacement' : 'worker', run.finalSeq.get(id) ?? 0));
  }
  if (run.killedAtMs === undefined) problems.push('the victim was never killed');
  if (run.timedOut) problems.push(`the run reached its bound of ${run.options.boundMs} ms`);
  if (run.elapsedMs > run.options.boundMs) problems.push(`the run took ${run.elapsedMs} ms, over its bound of ${run.options.boundMs} ms`);
  if (victimLostAfterSeq === undefined) problems.push(`no tributary.lost record for ${run.victim} (batched delivery, SIGKILL)`);
  if (writtenAfterKill === 0) problems.push('no record of another producer was written after the kill');
  const twice = [...doneTasks.values()].filter((count) => count !== 1).length;
  if (doneTasks.size !== run.options.tasks || twice > 0) problems.push(`${doneTasks.size} of ${run.options.tasks} tasks done, ${twice} more than once`);
  if (!check.ok) problems.push('tributary verify: FAIL');
  const victimWritten = victimSequence?.lastSeq ?? 0;
  return {
    file: run.file,
    lines: check.lines,
    torn: check.torn,
    duplicated: check.duplicated,
    outOfOrder: check.outOfOrder,
    unreported: check.unreported,
    verifyOk: check.ok,
    producers,
    victim: run.victim,
    victimLastSeqHeard: run.victimLastSeqHeard,
    victimLostAfterSeq,
    victimLostAtLeast: Math.max(0, run.victimLastSeqHeard - victimWritten),
    tasksDone: doneTasks.size,
    tasks: run.options.tasks,
    writtenAfterKill,
    elapsedMs: run.elapsedMs,
    boundMs: run.options.boundMs,
    pass: problems.length === 0 && check.torn === 0 && check.duplicated === 0,
    problems,
  };
}
