import { checkOutput } from '@tributary/core/testing';
import type { CombinationResult } from './types.ts';

/** One row of the demo's table. */
export interface Verdict {
  readonly combination: string;
  /** Records the producers' log calls returned from. */
  readonly expected: number;
  /** Of those, records found in the output (each producer's own records, notices excluded). */
  readonly found: number;
  /** expected − found. */
  readonly lost: number;
  /** Losses Tributary itself reported (`tributary.dropped`, `tributary.lost` counts). */
  readonly reported: number;
  /**
   * Chaos mode: records of killed producers missing after the `afterSeq` of a `tributary.lost` with an
   * unknown count (a batched producer killed with records in its memory: reported, not counted).
   */
  readonly reportedAfterSeq: number;
  readonly duplicated: number;
  readonly torn: number;
  readonly outOfOrder: number;
  readonly recordsPerSecond: number;
  /** Chaos mode: producers the demo killed. */
  readonly killed: number;
  /** Chaos mode: records killed producers reported logged before they died, and how many of those were written. */
  readonly killedLogged: number;
  readonly killedWritten: number;
  /** `tributary.*` notices in the output, by message. */
  readonly notices: Readonly<Record<string, number>>;
  readonly pass: boolean;
  readonly problem?: string;
}

/**
 * Reads a combination's output back and checks every producer's sequence against what it logged.
 * Passes when nothing is lost, duplicated, torn or out of order; in chaos mode a loss passes only if
 * Tributary reported it (never silent): counted, or after the sequence number a killed producer's
 * unknown-count loss names.
 */
export function verifyCombination(name: string, result: CombinationResult | undefined, lines: readonly string[], problem?: string): Verdict {
  const check = checkOutput(lines);
  const notices: Record<string, number> = {};
  const ownNotices = new Map<string, number>();
  let reported = 0;
  const unknownAfter = new Map<string, number>();
  for (const [msg, records] of check.notices) {
    notices[msg] = records.length;
    for (const record of records) {
      const producer = String(record['producer']);
      ownNotices.set(producer, (ownNotices.get(producer) ?? 0) + 1);
      if (msg === 'tributary.lost') reported += Number(record['lost']) || 0;
      if (msg === 'tributary.lost' && record['lost'] === 'unknown' && typeof record['afterSeq'] === 'number') {
        unknownAfter.set(String(record['lostProducer']), record['afterSeq']);
      }
      if (msg === 'tributary.dropped') reported += Number(record['dropped']) || 0;
    }
  }
  let expected = 0;
  let found = 0;
  let killed = 0;
  let killedLogged = 0;
  let killedWritten = 0;
  let reportedAfterSeq = 0;
  for (const producer of result?.producers ?? []) {
    const seen = check.producers.get(producer.id);
    const written = Math.max(0, (seen?.count ?? 0) - (ownNotices.get(producer.id) ?? 0));
    expected += producer.logged;
    found += Math.min(written, producer.logged);
    if (producer.killed) {
      killed += 1;
      killedLogged += producer.logged;
      killedWritten += Math.min(written, producer.logged);
      const afterSeq = unknownAfter.get(producer.id);
      // Sequence numbers count the producer's own notices too, hence `+ own` for its last number.
      const lastSeq = producer.logged + (ownNotices.get(producer.id) ?? 0);
      if (afterSeq !== undefined) reportedAfterSeq += Math.min(producer.logged - Math.min(written, producer.logged), Math.max(0, lastSeq - afterSeq));
    }
  }
  const lost = expected - found;
  const failure =
    problem ?? (result === undefined ? 'no result.json: the combination did not finish' : result.listener.timedOut ? 'listener.stop() timed out' : undefined);
  const clean = check.duplicated === 0 && check.torn === 0 && check.outOfOrder === 0;
  const chaos = result?.spec.chaos === true;
  const pass = failure === undefined && clean && (lost === 0 || (chaos && lost <= reported + reportedAfterSeq));
  return {
    combination: name,
    expected,
    found,
    lost,
    reported,
    reportedAfterSeq,
    duplicated: check.duplicated,
    torn: check.torn,
    outOfOrder: check.outOfOrder,
    recordsPerSecond: result === undefined ? 0 : Math.round(found / result.seconds),
    killed,
    killedLogged,
    killedWritten,
    notices,
    pass,
    ...(failure === undefined ? {} : { problem: failure }),
  };
}
