import { startTimer, stopTimer } from '../internal/host.ts';
import type { LevelName } from '../levels.ts';
import { functionOption, integerOption, objectOption } from '../options.ts';
import type { LogEntry } from '../record.ts';

/**
 * Throttling with exact counts: at most `limit` records per key per interval pass to the sinks; the
 * others are counted, and one record `suppressed K similar records` with the exact K is written when
 * the interval ends (at the next similar record, or by a timer), and at every flush and stop, so no
 * record disappears without a count. Intervals are measured on the listener's clock when records
 * reach it (not by the records' own time).
 */

/** Options of the listener's `throttle`. */
export interface ThrottleOptions {
  /** Records with the same key let through per interval. Required, an integer ≥ 1. */
  readonly limit: number;
  /** The interval's length in milliseconds; each key's interval starts at its first record. Default: 1,000. */
  readonly intervalMs?: number;
  /**
   * What makes records similar: records with the same key share a limit. Default: the level, the
   * logger and the message (`msg`), so records that differ only in their fields are similar. Reading
   * the key parses the record (`entry.record`). Must not throw (a key that throws lets the record pass).
   */
  readonly key?: (entry: LogEntry) => string;
}

/** The record a throttle writes for what it held back: its level, message and fields. */
export interface SuppressedNotice {
  readonly level: LevelName;
  readonly msg: string;
  readonly fields: Readonly<Record<string, unknown>>;
}

interface Window {
  readonly key: string;
  start: number;
  passed: number;
  suppressed: number;
  /** The first suppressed record's level, logger and message, for the notice. */
  level: LevelName;
  logger: unknown;
  msg: unknown;
}

/** Windows kept before ended, quiet ones are pruned (then: twice the windows still open). */
const MIN_WINDOWS_BEFORE_PRUNE = 1_024;

/** Checks `throttle` at configuration time (the listener's option format). */
export function resolveThrottle(value: unknown): Required<ThrottleOptions> | undefined {
  const options = objectOption<ThrottleOptions, undefined>('QueueListener', 'throttle', value, undefined);
  if (options === undefined) return undefined;
  const limit = integerOption('QueueListener', 'throttle.limit', options.limit, { min: 1, default: undefined });
  if (limit === undefined) throw new TypeError('QueueListener: throttle.limit must be an integer ≥ 1; got undefined');
  return {
    limit,
    intervalMs: integerOption('QueueListener', 'throttle.intervalMs', options.intervalMs, { min: 1, default: 1_000 }),
    key: functionOption<(entry: LogEntry) => string, (entry: LogEntry) => string>('QueueListener', 'throttle.key', options.key, defaultKey),
  };
}

function defaultKey(entry: LogEntry): string {
  const record = entry.record;
  return `${entry.level}\u0000${String(record.logger)}\u0000${String(record.msg)}`;
}

export class RecordThrottle {
  private readonly windows = new Map<string, Window>();
  /** Windows with suppressed records not yet reported. */
  private readonly holding = new Set<Window>();
  private pruneAt = MIN_WINDOWS_BEFORE_PRUNE;
  private timer: unknown;
  private total = 0;

  constructor(
    private readonly options: Required<ThrottleOptions>,
    private readonly now: () => number,
    /** Receives summaries found by the timer (the listener writes them to the sinks). */
    private readonly onTimerNotices: (notices: SuppressedNotice[]) => void,
  ) {}

  /** Records suppressed so far. */
  get suppressed(): number {
    return this.total;
  }

  /**
   * The entries that pass, in order, each `suppressed` notice (as made by `toEntry`) placed before the
   * record whose arrival ended the interval it counts.
   */
  filter(entries: readonly LogEntry[], toEntry: (notice: SuppressedNotice) => LogEntry): LogEntry[] {
    const passed: LogEntry[] = [];
    const now = this.now();
    for (const entry of entries) {
      let key: string;
      try {
        key = String(this.options.key(entry));
      } catch {
        passed.push(entry);
        continue;
      }
      let window = this.windows.get(key);
      if (window !== undefined && now - window.start >= this.options.intervalMs) {
        if (window.suppressed > 0) passed.push(toEntry(this.report(window)));
        window.start = now;
        window.passed = 0;
      }
      if (window === undefined) {
        window = { key, start: now, passed: 0, suppressed: 0, level: entry.level, logger: undefined, msg: undefined };
        this.windows.set(key, window);
        if (this.windows.size >= this.pruneAt) this.prune(now);
      }
      if (window.passed < this.options.limit) {
        window.passed += 1;
        passed.push(entry);
        continue;
      }
      if (window.suppressed === 0) {
        const record = entry.record;
        window.level = entry.level;
        window.logger = record.logger;
        window.msg = record.msg;
        this.holding.add(window);
      }
      window.suppressed += 1;
      this.total += 1;
      this.armTimer(now);
    }
    return passed;
  }

  /** A notice for every count not yet reported, whether or not its interval ended (flush, stop). */
  takeAll(): SuppressedNotice[] {
    const notices = [...this.holding].map((window) => this.report(window));
    this.disarmTimer();
    return notices;
  }

  /** Stops the timer (the listener stopped). */
  close(): void {
    this.disarmTimer();
  }

  /** Notices for the windows whose interval ended; ended windows are forgotten. */
  private sweep(now: number): SuppressedNotice[] {
    const notices: SuppressedNotice[] = [];
    for (const window of [...this.holding]) {
      if (now - window.start < this.options.intervalMs) continue;
      notices.push(this.report(window));
      this.windows.delete(window.key);
    }
    return notices;
  }

  private report(window: Window): SuppressedNotice {
    const count = window.suppressed;
    window.suppressed = 0;
    this.holding.delete(window);
    return {
      level: window.level,
      msg: `suppressed ${count} similar records`,
      fields: {
        event: 'tributary.suppressed',
        suppressed: count,
        limit: this.options.limit,
        intervalMs: this.options.intervalMs,
        since: new Date(window.start).toISOString(),
        suppressedLogger: window.logger,
        suppressedMsg: window.msg,
      },
    };
  }

  private prune(now: number): void {
    for (const window of this.windows.values()) {
      if (window.suppressed === 0 && now - window.start >= this.options.intervalMs) this.windows.delete(window.key);
    }
    this.pruneAt = Math.max(MIN_WINDOWS_BEFORE_PRUNE, this.windows.size * 2);
  }

  /** One timer for the earliest interval that holds suppressed records. */
  private armTimer(now: number): void {
    if (this.timer !== undefined) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const window of this.holding) earliest = Math.min(earliest, window.start + this.options.intervalMs);
    this.timer = startTimer(() => this.timerFired(), Math.max(1, earliest - now));
  }

  private timerFired(): void {
    this.timer = undefined;
    const now = this.now();
    const notices = this.sweep(now);
    if (notices.length > 0) this.onTimerNotices(notices);
    if (this.holding.size > 0) this.armTimer(now);
  }

  private disarmTimer(): void {
    stopTimer(this.timer);
    this.timer = undefined;
  }
}
