/** Records with every kind of field, made the way a producer makes them, for the mapping tests. */
import { RecordEncoder, entryFromLine } from '@tributary/core/sink';
import type { LevelName, LogEntry } from '@tributary/core/sink';

/** A fixed time, so that expected values can be written down: 2026-11-26T23:20:50.123Z. */
export const FIXED_TIME_MS = Date.UTC(2026, 10, 26, 23, 20, 50, 123);
export const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
export const SPAN_ID = '00f067aa0ba902b7';

/** One entry of producer `mapper` (pid 4711) with the given level, logger, message and fields. */
export function entryWith(level: LevelName, logger: string, msg: string, fields: unknown, seq = 1): LogEntry {
  const encoder = new RecordEncoder({ producer: 'mapper', pid: 4711 });
  return entryFromLine(encoder.encode(level, msg, encoder.quoteName(logger), seq, '', fields, FIXED_TIME_MS), level);
}

/** Fields of every type an attribute can have. */
export const TYPED_FIELDS = {
  text: 'ünïcødé "quoted"\nline',
  count: 42,
  negative: -7,
  ratio: 0.25,
  big: 2 ** 60,
  huge: 1e300,
  ok: true,
  nothing: null,
  list: [1, 'two', false, [3.5]],
  nested: { a: { b: 'deep' }, n: 1 },
};
