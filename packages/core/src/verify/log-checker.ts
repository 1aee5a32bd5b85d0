import { SeqRanges, coveredCount } from './seq-ranges.ts';
import type { SeqRange } from './seq-ranges.ts';

/** Options of a {@link LogChecker}. */
export interface LogCheckerOptions {
  /**
   * Tell apart records with the same producer id and different `pid` (a restarted process that
   * reuses its id, a collector started again): each (producer, pid) is a sequence of its own. Default `true`.
   */
  readonly separatePids?: boolean;
  /**
   * The lines are not the producers' whole output (the oldest rotated files were deleted): the
   * numbers below a sequence's first one are not counted as missing. Default `false`.
   */
  readonly partial?: boolean;
}

/** One producer's sequence in a checked output. */
export interface SequenceCheck {
  readonly producer: string;
  /** The `pid` of its first record (undefined when it had none). */
  readonly pid: number | undefined;
  /** Distinct sequence numbers found (its `tributary.*` records included). */
  readonly records: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** Numbers missing from 1 (or from `firstSeq` when partial) to `lastSeq`, or to the end of a reported loss after it. */
  readonly missing: number;
  /** Of the missing, those inside a `tributary.lost` range for this producer. */
  readonly reportedLost: number;
  /** Of the missing, those after the `afterSeq` of a `tributary.lost` with an unknown count. */
  readonly reportedUnknown: number;
  /** Missing and not reported for this producer (a sink's or the throttle's counts may still cover them). */
  readonly unexplained: number;
  /** The missing numbers as ranges (at most 20 kept). */
  readonly holes: readonly SeqRange[];
  readonly duplicated: number;
  /** Records whose number is below the one before them. */
  readonly outOfOrder: number;
  /** Records this producer said its own full queue dropped (they never had numbers). */
  readonly droppedByProducer: number;
  /** `afterSeq` of a `tributary.lost` with an unknown count, if any. */
  readonly lostUnknownAfterSeq: number | undefined;
  /** How this producer ended, from `tributary.producer_exited`, if it was reported. */
  readonly exit: string | undefined;
}

/** What a {@link LogChecker} found. */
export interface LogCheck {
  /** Non-empty lines read. */
  readonly lines: number;
  /** Lines that are JSON objects. */
  readonly records: number;
  /** Lines that are not (torn or interleaved writes, other text). */
  readonly torn: number;
  /** JSON objects without a producer id and a sequence number (not Tributary records). */
  readonly unsequenced: number;
  readonly sequences: readonly SequenceCheck[];
  readonly missing: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  /** Reported by the producers and the listener, by kind. */
  readonly reported: {
    /** Missing records inside `tributary.lost` ranges. */
    readonly lost: number;
    /** Missing records after a `tributary.lost` with an unknown count. */
    readonly lostUnknown: number;
    /** Records producers' full queues dropped (`tributary.dropped` with `producerOfDropped`). */
    readonly droppedByProducers: number;
    /** Records sinks gave up (`tributary.dropped` with `sink`), by sink name. */
    readonly droppedBySinks: Readonly<Record<string, number>>;
    /** Records the listener's throttle suppressed (`event: 'tributary.suppressed'`). */
    readonly suppressed: number;
    /** `tributary.refused` notices: producers the listener would not take. */
    readonly refused: number;
  };
  /**
   * Missing records no report accounts for: those not reported for their producer, less the
   * counts sinks and the throttle reported (which name no producer).
   */
  readonly unreported: number;
  /** Nothing missing, duplicated, torn or out of order. */
  readonly clean: boolean;
  /** Every record was written once and in order, or its loss reported: `torn`, `duplicated`, `outOfOrder` and `unreported` are 0. */
  readonly ok: boolean;
}

/** At most this many holes are listed per sequence (all are counted). */
const MAX_HOLES_LISTED = 20;

interface SequenceState {
  readonly producer: string;
  readonly pid: number | undefined;
  readonly seen: SeqRanges;
  first: number;
  last: number;
  max: number;
  duplicated: number;
  outOfOrder: number;
  droppedByProducer: number;
  readonly lostRanges: SeqRange[];
  lostUnknownAfterSeq: number | undefined;
  exit: string | undefined;
}

/** A report about a producer named by id, whose sequence is known only at the end if not seen yet. */
interface PendingReport {
  readonly producer: string;
  readonly apply: (state: SequenceState) => void;
}

/**
 * Checks Tributary JSON lines as a reader can: each producer's sequence numbers (holes, duplicates,
 * order), torn lines, and which losses the `tributary.*` records report. Feed it the lines in
 * the order they were written (a rotated set oldest first) with {@link add}, then read
 * {@link result}. Memory grows with the number of producers and holes, not with the records.
 */
export class LogChecker {
  private readonly separatePids: boolean;
  private readonly partial: boolean;
  private readonly states = new Map<string, SequenceState>();
  /** The latest sequence of each producer id, for reports that name a producer. */
  private readonly latestById = new Map<string, SequenceState>();
  private readonly pending: PendingReport[] = [];
  private lines = 0;
  private records = 0;
  private torn = 0;
  private unsequenced = 0;
  private suppressed = 0;
  private refused = 0;
  private readonly droppedBySinks: Record<string, number> = {};

  constructor(options: LogCheckerOptions = {}) {
    this.separatePids = options.separatePids ?? true;
    this.partial = options.partial ?? false;
  }

  /** Checks one line (without its newline); returns the record when the line is a JSON object. */
  add(line: string): Record<string, unknown> | undefined {
    if (line === '') return undefined;
    this.lines += 1;
    let record: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(line);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
      record = value as Record<string, unknown>;
    } catch {
      this.torn += 1;
      return undefined;
    }
    this.records += 1;
    const producer = record['producer'];
    const seq = record['seq'];
    if (typeof producer !== 'string' || !Number.isSafeInteger(seq) || (seq as number) < 1) {
      this.unsequenced += 1;
      return record;
    }
    const pid = typeof record['pid'] === 'number' ? record['pid'] : undefined;
    const state = this.sequence(producer, pid);
    const number = seq as number;
    if (!state.seen.add(number)) state.duplicated += 1;
    if (number < state.last) state.outOfOrder += 1;
    state.last = number;
    if (number > state.max) state.max = number;
    if (number < state.first) state.first = number;
    if (record['logger'] === 'tributary') this.notice(record, state);
    return record;
  }

  /** Everything found so far. */
  result(): LogCheck {
    for (const report of this.pending) {
      const state = this.latestById.get(report.producer);
      if (state !== undefined) report.apply(state);
    }
    this.pending.length = 0;
    const sequences = [...this.states.values()].map((state) => this.checkSequence(state));
    const sum = (pick: (check: SequenceCheck) => number): number => sequences.reduce((total, check) => total + pick(check), 0);
    const unexplained = sum((check) => check.unexplained);
    const byCount = Object.values(this.droppedBySinks).reduce((total, count) => total + count, 0) + this.suppressed;
    const unreported = Math.max(0, unexplained - byCount);
    const missing = sum((check) => check.missing);
    const duplicated = sum((check) => check.duplicated);
    const outOfOrder = sum((check) => check.outOfOrder);
    return {
      lines: this.lines,
      records: this.records,
      torn: this.torn,
      unsequenced: this.unsequenced,
      sequences,
      missing,
      duplicated,
      outOfOrder,
      reported: {
        lost: sum((check) => check.reportedLost),
        lostUnknown: sum((check) => check.reportedUnknown),
        droppedByProducers: sum((check) => check.droppedByProducer),
        droppedBySinks: { ...this.droppedBySinks },
        suppressed: this.suppressed,
        refused: this.refused,
      },
      unreported,
      clean: missing === 0 && duplicated === 0 && outOfOrder === 0 && this.torn === 0,
      ok: unreported === 0 && duplicated === 0 && outOfOrder === 0 && this.torn === 0,
    };
  }

  private sequence(producer: string, pid: number | undefined): SequenceState {
    const key = this.separatePids ? `${pid ?? ''}\u0000${producer}` : producer;
    let state = this.states.get(key);
    if (state === undefined) {
      state = {
        producer,
        pid,
        seen: new SeqRanges(),
        first: Number.POSITIVE_INFINITY,
        last: 0,
        max: 0,
        duplicated: 0,
        outOfOrder: 0,
        droppedByProducer: 0,
        lostRanges: [],
        lostUnknownAfterSeq: undefined,
        exit: undefined,
      };
      this.states.set(key, state);
    }
    this.latestById.set(producer, state);
    return state;
  }

  /** Takes what a `tributary.*` record reports. `own` is the sequence of the record itself. */
  private notice(record: Record<string, unknown>, own: SequenceState): void {
    const msg = record['msg'];
    if (msg === 'tributary.lost') {
      const lostProducer = record['lostProducer'];
      if (typeof lostProducer !== 'string') return;
      const lost = record['lost'];
      const fromSeq = record['fromSeq'];
      const toSeq = record['toSeq'];
      const afterSeq = record['afterSeq'];
      if (Number.isSafeInteger(lost) && Number.isSafeInteger(fromSeq) && Number.isSafeInteger(toSeq)) {
        const range = { from: fromSeq as number, to: toSeq as number };
        this.aboutProducer(lostProducer, (state) => void state.lostRanges.push(range));
      } else if (lost === 'unknown' && Number.isSafeInteger(afterSeq)) {
        const after = afterSeq as number;
        this.aboutProducer(lostProducer, (state) => {
          state.lostUnknownAfterSeq = Math.min(state.lostUnknownAfterSeq ?? after, after);
        });
      }
    } else if (msg === 'tributary.dropped') {
      const dropped = record['dropped'];
      if (!Number.isSafeInteger(dropped) || (dropped as number) <= 0) return;
      if (typeof record['producerOfDropped'] === 'string') own.droppedByProducer += dropped as number;
      else if (typeof record['sink'] === 'string') {
        const sink = record['sink'];
        this.droppedBySinks[sink] = (this.droppedBySinks[sink] ?? 0) + (dropped as number);
      }
    } else if (msg === 'tributary.producer_exited') {
      const exited = record['exitedProducer'];
      if (typeof exited !== 'string') return;
      const how = [record['reason'], record['signal']].filter((part) => typeof part === 'string').join(', ');
      this.aboutProducer(exited, (state) => {
        state.exit = `${how} (last seq ${String(record['lastSeq'])})`;
      });
    } else if (msg === 'tributary.refused') this.refused += 1;
    else if (record['event'] === 'tributary.suppressed' && Number.isSafeInteger(record['suppressed'])) this.suppressed += record['suppressed'] as number;
  }

  /** Applies a report naming producer `id` to its latest sequence, or to the one found later. */
  private aboutProducer(id: string, apply: (state: SequenceState) => void): void {
    const state = this.latestById.get(id);
    if (state !== undefined) apply(state);
    else this.pending.push({ producer: id, apply });
  }

  private checkSequence(state: SequenceState): SequenceCheck {
    const first = Number.isFinite(state.first) ? state.first : 0;
    // A reported loss after the last record found (a producer whose last records were lost) is missing too.
    const upTo = state.lostRanges.reduce((highest, range) => Math.max(highest, range.to), state.max);
    const holes = state.seen.holes(upTo).filter((hole) => !this.partial || hole.from >= first);
    let missing = 0;
    let reportedLost = 0;
    let reportedUnknown = 0;
    const after = state.lostUnknownAfterSeq;
    for (const hole of holes) {
      const size = hole.to - hole.from + 1;
      missing += size;
      const inRanges = coveredCount(hole, state.lostRanges);
      reportedLost += inRanges;
      if (after !== undefined) {
        const tail = { from: Math.max(hole.from, after + 1), to: hole.to };
        if (tail.from <= tail.to) reportedUnknown += tail.to - tail.from + 1 - coveredCount(tail, state.lostRanges);
      }
    }
    return {
      producer: state.producer,
      pid: state.pid,
      records: state.seen.size,
      firstSeq: first,
      lastSeq: state.max,
      missing,
      reportedLost,
      reportedUnknown,
      unexplained: missing - reportedLost - reportedUnknown,
      holes: holes.slice(0, MAX_HOLES_LISTED),
      duplicated: state.duplicated,
      outOfOrder: state.outOfOrder,
      droppedByProducer: state.droppedByProducer,
      lostUnknownAfterSeq: after,
      exit: state.exit,
    };
  }
}
