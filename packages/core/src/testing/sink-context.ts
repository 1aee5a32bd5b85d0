import type { LevelName } from '../levels.ts';
import type { SinkContext } from '../sink.ts';

/** A {@link SinkContext} that keeps every report, for testing a sink outside a listener. */
export interface RecordingSinkContext extends SinkContext {
  /** Every `dropped(records, reason)` call, in order. */
  readonly drops: readonly { readonly records: number; readonly reason: string }[];
  /** Every `failed(error, records)` call, in order. */
  readonly failures: readonly { readonly error: unknown; readonly records: number }[];
  /** Every `notice(...)` call, in order. */
  readonly notices: readonly {
    readonly level: LevelName;
    readonly event: string;
    readonly message: string;
    readonly fields: Readonly<Record<string, unknown>>;
  }[];
  /** The sum of the `records` of every `dropped` call. */
  readonly droppedRecords: number;
  /** The sum of the `records` of every `failed` call. */
  readonly failedRecords: number;
}

/** Makes a context that records what a sink reports: `sink.open?.(recordingSinkContext())`. */
export function recordingSinkContext(): RecordingSinkContext {
  const drops: { records: number; reason: string }[] = [];
  const failures: { error: unknown; records: number }[] = [];
  const notices: { level: LevelName; event: string; message: string; fields: Readonly<Record<string, unknown>> }[] = [];
  return {
    drops,
    failures,
    notices,
    get droppedRecords() {
      return drops.reduce((total, drop) => total + drop.records, 0);
    },
    get failedRecords() {
      return failures.reduce((total, failure) => total + failure.records, 0);
    },
    dropped: (records, reason) => void drops.push({ records, reason }),
    failed: (error, records) => void failures.push({ error, records }),
    notice: (level, event, message, fields = {}) => void notices.push({ level, event, message, fields }),
  };
}
