/**
 * @tributary/core/sink: the kit for sink authors — how a sink reads the batch it is handed, reports
 * what it could not deliver, and validates its options.
 */
export type { Sink, SinkBinding, SinkCloseReport } from '../sink.ts';
export { SinkClosedError } from '../sink.ts';
export type { LogEntry, LogRecord } from '../record.ts';
export type { Formatter } from '../format/formatter.ts';
export { jsonLinesFormatter } from '../format/json-lines.ts';
export { entryFromLine } from '../entry.ts';
export { batchBytes, entryByteLength, joinBatch, utf8Length } from '../entry-bytes.ts';
export { concatBytes } from '../concat-bytes.ts';
export { describeThrown } from '../encode/json-value.ts';
export { RecordEncoder } from '../encode/record-encoder.ts';
export { currentPid, onProcessExit, onSignal, runtime, startTimer, stopTimer, unrefTimer } from '../internal/host.ts';
export type { RuntimeKey } from '../internal/host.ts';
