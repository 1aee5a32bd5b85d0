import type { EncodeLimits } from '../encode/limits.ts';
import { parseThreshold, thresholdValue } from '../levels.ts';
import type { Sink, SinkBinding } from '../sink.ts';
import { checkInteger } from './handler-options.ts';
import type { ThrottleOptions } from './throttle.ts';

/** A failure the listener reports: a sink that failed, a producer it refused, a malformed frame. */
export interface ListenerReport {
  /** `sink`, `producer` or `protocol`. */
  readonly kind: 'sink' | 'producer' | 'protocol';
  /** One line saying what happened. */
  readonly message: string;
  /** The error behind it, if any. */
  readonly error?: unknown;
}

/** Options of a {@link QueueListener}. */
export interface QueueListenerOptions {
  /** Where records go: sinks, or sinks with their own level and filter. Required (may be empty). */
  readonly sinks: readonly (Sink | SinkBinding)[];
  /** The listener's own producer id, on its `tributary.*` records. Default: `'listener'`. */
  readonly id?: string;
  /** Longest wait of `stop()` for sinks to drain, flush and close, in milliseconds. Default: 10,000. */
  readonly stopTimeout?: number;
  /** Longest wait of a flush for the sinks, in milliseconds. Default: 10,000. */
  readonly flushTimeout?: number;
  /** Bytes of records that may wait for one sink before new ones are dropped. Default: 64 MiB. */
  readonly maxPendingBytesPerSink?: number;
  /**
   * Minimum time between two reports of failures of one sink, in milliseconds; failures in between
   * are counted and the count goes with the next report. Default: 5,000.
   */
  readonly errorReportInterval?: number;
  /**
   * Receives every report. Default: writes one line to the console's error stream. Reports are also
   * written to the other sinks as `tributary.*` records.
   */
  readonly onReport?: (report: ListenerReport) => void;
  /** Limits for records made by in-process loggers and by the listener itself. Default: see EncodeLimits. */
  readonly limits?: EncodeLimits;
  /**
   * Writes what is still queued with the sinks' `writeSync` when the process exits
   * (`process.on('exit')`, e.g. after `process.exit()`). Default: true.
   */
  readonly drainOnExit?: boolean;
  /**
   * Signals on which what is queued is written with the sinks' `writeSync` before the process dies
   * (`docker stop` sends SIGTERM, Ctrl-C SIGINT, a closed terminal SIGHUP). Only when the
   * application has no handler of its own for that signal: then, after the drain, the signal ends
   * the process exactly as it would have without Tributary (it is raised again: same exit status).
   * With an application handler, the application decides: call `listener.stop()` from it. `false`
   * turns it off. Default: `['SIGTERM', 'SIGINT', 'SIGHUP']`.
   */
  readonly drainOnSignals?: readonly string[] | false;
  /**
   * Throttling with exact counts: at most `limit` similar records (same key) per `intervalMs` reach
   * the sinks; the rest are counted and reported in one record `suppressed K similar records`
   * (`event: 'tributary.suppressed'`, the exact `suppressed` count) when the interval ends, and at
   * every flush and stop. Applies to the producers' records, not to the listener's own. Default:
   * none (every record passes).
   */
  readonly throttle?: ThrottleOptions;
  /** Clock for report rate-limiting and throttle intervals (tests). Default: `Date.now`. */
  readonly now?: () => number;
}

export interface ResolvedSinkBinding {
  readonly sink: Sink;
  readonly minimum: number;
  readonly filter: SinkBinding['filter'];
  readonly maxPendingBytes: number;
}

/** Checks the sinks at configuration time and gives each its settings. */
export function resolveSinkBindings(sinks: QueueListenerOptions['sinks'], defaultMaxPendingBytes: number): ResolvedSinkBinding[] {
  if (!Array.isArray(sinks)) throw new TypeError('QueueListener: sinks must be an array of sinks');
  return sinks.map((item: Sink | SinkBinding, index) => {
    const binding: SinkBinding = isBinding(item) ? item : { sink: item };
    const sink = binding.sink;
    for (const method of ['write', 'flush', 'close'] as const) {
      if (typeof (sink as unknown as Record<string, unknown>)?.[method] !== 'function') {
        throw new TypeError(`QueueListener: sinks[${index}] has no ${method}() method; is it a Sink?`);
      }
    }
    const level = binding.level === undefined ? 'trace' : parseThreshold(binding.level, `sinks[${index}].level`);
    if (binding.filter !== undefined && typeof binding.filter !== 'function') {
      throw new TypeError(`QueueListener: sinks[${index}].filter must be a function`);
    }
    return {
      sink,
      minimum: thresholdValue(level),
      filter: binding.filter,
      maxPendingBytes: checkInteger(binding.maxPendingBytes ?? defaultMaxPendingBytes, `sinks[${index}].maxPendingBytes`, 1),
    };
  });
}

function isBinding(item: Sink | SinkBinding): item is SinkBinding {
  return item !== null && typeof item === 'object' && 'sink' in item && typeof (item as SinkBinding).sink === 'object';
}

/** The default of {@link QueueListenerOptions.drainOnSignals}. */
const DEFAULT_DRAIN_SIGNALS: readonly string[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Checks `drainOnSignals`: `false`, or an array of signal names such as `'SIGTERM'`. */
export function resolveDrainSignals(value: QueueListenerOptions['drainOnSignals']): readonly string[] {
  if (value === undefined) return DEFAULT_DRAIN_SIGNALS;
  if (value === false) return [];
  if (!Array.isArray(value) || !value.every((signal) => typeof signal === 'string' && /^SIG[A-Z0-9]+$/.test(signal))) {
    throw new TypeError(`QueueListener: drainOnSignals must be false or an array of signal names such as 'SIGTERM'; got ${JSON.stringify(value)}`);
  }
  return value;
}
