import { SinkClosedError } from '../sink.ts';
import type { Batch } from '../batch.ts';
import type { Sink } from '../sink.ts';
import type { LogEntry } from '../record.ts';

/** A sink that keeps every entry in memory: for tests. */
export interface MemorySink extends Sink {
  readonly entries: readonly LogEntry[];
  /** The lines written, in order. */
  lines(): string[];
}

/** A sink that keeps what it is given in memory, honouring the Sink contract (closed → error). */
export function memorySink(name = 'memory'): MemorySink {
  const entries: LogEntry[] = [];
  let closed = false;
  const sink: MemorySink = {
    name,
    entries,
    lines: () => entries.map((entry) => entry.line),
    write(batch) {
      if (closed) throw new SinkClosedError(name);
      entries.push(...batch.entries);
    },
    writeSync(batch) {
      if (closed) throw new SinkClosedError(name);
      entries.push(...batch.entries);
    },
    get stats() {
      return { written: entries.length, dropped: 0, failed: 0, pendingRecords: 0, pendingBytes: 0 };
    },
    flush: async () => {},
    close: async () => {
      closed = true;
    },
    [Symbol.asyncDispose]: async () => {
      closed = true;
    },
  };
  return sink;
}

/** A sink whose every write throws `error` (default: an Error "disk on fire"). */
export function failingSink(name = 'failing', error: unknown = new Error('disk on fire')): Sink & { attempts: number } {
  const sink = {
    name,
    attempts: 0,
    write() {
      sink.attempts += 1;
      throw error;
    },
    flush: async () => {},
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
  return sink;
}

/**
 * A sink whose writes, flushes and close never settle until `release()` is called. `held` counts the
 * records handed to it before the release (not its own `tributary.dropped` notices, which the
 * listener adds and never dispatched); `entries` gets every record once its write settles.
 */
export function stallingSink(name = 'stalled'): Sink & { release(): void; writes: number; held: number; entries: LogEntry[] } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let released = false;
  const sink = {
    name,
    writes: 0,
    held: 0,
    entries: [] as LogEntry[],
    release: () => {
      released = true;
      release();
    },
    write: async (batch: Batch) => {
      sink.writes += 1;
      if (!released) sink.held += batch.entries.filter((entry) => !(entry.record.msg === 'tributary.dropped' && entry.record['sink'] === name)).length;
      await gate;
      sink.entries.push(...batch.entries);
    },
    flush: () => gate,
    close: () => gate,
    [Symbol.asyncDispose]: () => gate,
  };
  return sink;
}
