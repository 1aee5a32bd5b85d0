/**
 * @tributary/core: what an application needs — the listener, loggers, levels, formatters, the sink
 * types and the listener's summary. Sink authors: `@tributary/core/sink`; adapter authors:
 * `@tributary/core/adapter`; conformance suites: `@tributary/core/testing`.
 */
export { QueueListener } from './queue/listener.ts';
export type { ListenerSummary, LocalLoggerOptions } from './queue/listener.ts';
export type { ProducerStats } from './queue/producer-session.ts';
export type { ListenerReport, QueueListenerOptions } from './queue/listener-options.ts';
export type { ThrottleOptions } from './queue/throttle.ts';
export { Logger } from './logger.ts';
export { configureContext, currentContext, isContextConfigured, withContext } from './context.ts';
export type { ContextOptions, ContextStorage } from './context.ts';
export { addFieldsProvider } from './fields-provider.ts';
export type { FieldsProvider } from './fields-provider.ts';
export type { ChildLoggerOptions, Fields } from './logger.ts';
export { LEVEL_NAMES, isLevelName } from './levels.ts';
export type { LevelName, Threshold } from './levels.ts';
export type { LogEntry, LogRecord } from './record.ts';
export type { Sink, SinkBinding } from './sink.ts';
export type { SinkSummary } from './queue/sink-runner.ts';
export { SinkClosedError } from './sink.ts';
export { jsonLinesFormatter } from './format/json-lines.ts';
export { textFormatter } from './format/text.ts';
export type { TextFormatterOptions } from './format/text.ts';
export type { Formatter } from './format/formatter.ts';
export type { RedactOptions } from './encode/redact.ts';
export type { EncodeLimits } from './encode/limits.ts';
export type { WorkerLoggerOptions } from './shared-memory/worker-producer.ts';
export { LogChecker } from './verify/log-checker.ts';
export type { LogCheck, LogCheckerOptions, SequenceCheck } from './verify/log-checker.ts';
export type { SeqRange } from './verify/seq-ranges.ts';
