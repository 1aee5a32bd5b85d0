import { SinkClosedError } from '../sink.ts';
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

/** A sink whose writes, flushes and close never settle until `release()` is called. */
export function stallingSink(name = 'stalled'): Sink & { release(): void; writes: number } {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const sink = {
    name,
    writes: 0,
    release: () => release(),
    write: async () => {
      sink.writes += 1;
      await gate;
    },
    flush: () => gate,
    close: () => gate,
    [Symbol.asyncDispose]: () => gate,
  };
  return sink;
}
