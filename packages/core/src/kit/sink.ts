/**
 * @tributary/core/sink: the kit for sink authors — how a sink reads the batch it is handed, reports
 * what it could not deliver, and validates its options.
 */
export type { Sink, SinkBinding, SinkContext, SinkStats } from '../sink.ts';
export { SinkClosedError } from '../sink.ts';
export { SinkReporter } from '../sink-reporter.ts';
export type { Batch } from '../batch.ts';
export { batchOf } from '../batch.ts';
export type { LevelName } from '../levels.ts';
export type { LogEntry, LogRecord } from '../record.ts';
export type { Formatter } from '../format/formatter.ts';
export { jsonLinesFormatter } from '../format/json-lines.ts';
export { escapeControl } from '../format/escape.ts';
export { autoColors } from '../format/colors.ts';
export type { EnvironmentReader } from '../format/colors.ts';
export { entryFromLine } from '../entry.ts';
export { utf8Length } from '../entry-bytes.ts';
export { concatBytes } from '../concat-bytes.ts';
export { booleanOption, functionOption, integerOption, numberOption, objectOption, oneOfOption, stringOption } from '../options.ts';
export type { NumberBounds } from '../options.ts';
export { describeThrown } from '../encode/json-value.ts';
export { RecordEncoder } from '../encode/record-encoder.ts';
export {
  currentPid,
  onProcessExit,
  onSignal,
  readEnvironment,
  runtime,
  standardOutputIsTerminal,
  startTimer,
  stopTimer,
  unrefTimer,
} from '../internal/host.ts';
export type { RuntimeKey } from '../internal/host.ts';
export { DiskSpool } from '../spool/disk-spool.ts';
export type { SpoolChunk } from '../spool/disk-spool.ts';
export { DEFAULT_SPOOL_MAX_BYTES, resolveSpoolOptions } from '../spool/spool-options.ts';
export type { ResolvedSpoolOptions, SpoolOptions } from '../spool/spool-options.ts';
export { nodeSpoolFiles } from '../spool/spool-files.ts';
export type { SpoolFiles } from '../spool/spool-files.ts';
export { SizedQueue } from '../sink-kit/sized-queue.ts';
export type { Sized } from '../sink-kit/sized-queue.ts';
export { SpoolBridge } from '../sink-kit/spool-bridge.ts';
export type { Spoolable } from '../sink-kit/spool-bridge.ts';
export { LEVEL_LABELS } from '../format/text.ts';
