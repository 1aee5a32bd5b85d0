import { memoryUsage } from 'node:process';
import type { QueueListener } from '../queue/listener.ts';

/** Options of {@link logInTightLoop}. */
export interface TightLoopOptions {
  /** Log calls to make. Required. */
  readonly records: number;
  /** Characters of the `pad` field of every record (makes records larger). Default: 0. */
  readonly padChars?: number;
  /** The logger's producer id. Default: `loop`. */
  readonly producer?: string;
}

/** What {@link logInTightLoop} saw. */
export interface TightLoopResult {
  /** The process's resident set size when the loop began, in bytes. */
  readonly startRssBytes: number;
  /** The highest resident set size sampled during the loop (every 1,024 calls), in bytes. */
  readonly peakRssBytes: number;
  /** UTF-8 bytes of the `pad` fields logged: a lower bound of what the records weigh in all. */
  readonly padBytes: number;
  /** Records dropped by the listener's count right after the loop, before anything could yield. */
  readonly droppedBeforeYield: number;
}

/**
 * Logs `records` info records (`msg` "tight loop", fields `index` from 1 and `pad`) through a new
 * logger of `listener`, in a loop that never yields to the event loop, sampling the resident set
 * size as it goes: for tests of back-pressure (nothing dropped, memory bounded).
 */
export function logInTightLoop(listener: QueueListener, options: TightLoopOptions): TightLoopResult {
  const logger = listener.logger({ producer: options.producer ?? 'loop', name: 'tight' });
  const pad = 'p'.repeat(options.padChars ?? 0);
  const startRssBytes = memoryUsage().rss;
  let peakRssBytes = startRssBytes;
  for (let index = 1; index <= options.records; index++) {
    logger.info('tight loop', { index, pad });
    if ((index & 1023) === 0) peakRssBytes = Math.max(peakRssBytes, memoryUsage().rss);
  }
  peakRssBytes = Math.max(peakRssBytes, memoryUsage().rss);
  return { startRssBytes, peakRssBytes, padBytes: pad.length * options.records, droppedBeforeYield: listener.stats.dropped };
}
