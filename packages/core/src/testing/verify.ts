import { LogChecker } from '../verify/log-checker.ts';

/** What a reader found when it checked every line of an output. */
export interface OutputCheck {
  /** Lines that parsed as JSON objects. */
  readonly records: number;
  /** Lines that did not parse (torn or interleaved writes). */
  readonly torn: number;
  /** Per producer: how many distinct sequence numbers, the highest, duplicates, out-of-order steps. */
  readonly producers: ReadonlyMap<string, ProducerCheck>;
  /** Sum over producers of sequence numbers missing below each producer's highest. */
  readonly missing: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** The listener's and producers' `tributary.*` records, by message. */
  readonly notices: ReadonlyMap<string, readonly Record<string, unknown>[]>;
}

export interface ProducerCheck {
  readonly count: number;
  readonly maxSeq: number;
  readonly missing: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
}

/**
 * Checks JSON-lines output the way a user would: parse every line, then for each producer check that
 * its sequence numbers have no gaps, no duplicates and never go backwards. The checking is core's
 * {@link LogChecker} (the one `tributary verify` uses), with producers told apart by id alone.
 */
export function checkOutput(lines: Iterable<string>): OutputCheck {
  const checker = new LogChecker({ separatePids: false });
  const notices = new Map<string, Record<string, unknown>[]>();
  for (const line of lines) {
    const record = checker.add(line);
    const msg = record?.['msg'];
    if (record === undefined || typeof msg !== 'string' || !msg.startsWith('tributary.')) continue;
    const list = notices.get(msg) ?? [];
    list.push(record);
    notices.set(msg, list);
  }
  const check = checker.result();
  const producers = new Map<string, ProducerCheck>();
  let missing = 0;
  for (const sequence of check.sequences) {
    // Below the highest number found only: a reported loss after it (which the checker counts as
    // missing too) is left to the test, which reads the `tributary.lost` notices itself.
    const below = Math.max(0, sequence.lastSeq - sequence.records);
    missing += below;
    producers.set(sequence.producer, {
      count: sequence.records,
      maxSeq: sequence.lastSeq,
      missing: below,
      duplicated: sequence.duplicated,
      outOfOrder: sequence.outOfOrder,
    });
  }
  return { records: check.records, torn: check.torn, producers, missing, duplicated: check.duplicated, outOfOrder: check.outOfOrder, notices };
}

/** Splits text into lines, dropping the empty piece after a final newline. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
