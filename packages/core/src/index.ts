/** @tributary/core: records, logger, formatters, the queue, the wire protocol and channels. */
export { LEVEL_NAMES, LEVEL_VALUES, SILENT, isLevelName, parseThreshold, thresholdValue } from './levels.ts';
export type { LevelName, Threshold } from './levels.ts';
export { CORE_FIELDS } from './record.ts';
export type { LogEntry, LogRecord } from './record.ts';
export { entryFromLine } from './entry.ts';
export { batchBytes, entryByteLength, joinBatch, utf8Length } from './entry-bytes.ts';
export { concatBytes } from './concat-bytes.ts';
export { DEFAULT_ENCODE_LIMITS, resolveEncodeLimits } from './encode/limits.ts';
export type { EncodeLimits, ResolvedEncodeLimits } from './encode/limits.ts';
export { DEFAULT_CENSOR, resolveRedaction } from './encode/redact.ts';
export type { RedactOptions, ResolvedRedaction } from './encode/redact.ts';
export { renderValue, quoteString, describeThrown } from './encode/json-value.ts';
export { RecordEncoder } from './encode/record-encoder.ts';
export { levelOfLine } from './canonical-level.ts';
export type { RecordOrigin } from './encode/record-encoder.ts';
export { Logger } from './logger.ts';
export type { ChildLoggerOptions, Fields } from './logger.ts';
export { SinkClosedError } from './sink.ts';
export type { Sink, SinkBinding } from './sink.ts';
export { jsonLinesFormatter } from './format/json-lines.ts';
export { textFormatter } from './format/text.ts';
export type { TextFormatterOptions } from './format/text.ts';
export type { Formatter } from './format/formatter.ts';
export { PROTOCOL_VERSION, invalidProducerFrame } from './protocol/frames.ts';
export { LineBlock } from './protocol/line-block.ts';
export type {
  AckFrame,
  BatchFrame,
  BlockFrame,
  ByeFrame,
  FlushFrame,
  FlushedFrame,
  HelloFrame,
  ListenerFrame,
  ProducerFrame,
  ReceivedFrame,
  RefusedFrame,
} from './protocol/frames.ts';
export type { ChannelCloseInfo, ListenerEndpoint, ProducerEndpoint } from './channel/types.ts';
export { createInProcessChannel } from './channel/in-process.ts';
export type { InProcessChannel } from './channel/in-process.ts';
export { QueueHandler } from './queue/handler.ts';
export type { QueueHandlerStats, RecordWriter } from './queue/handler.ts';
export type { QueueHandlerOptions } from './queue/handler-options.ts';
export { QueueListener } from './queue/listener.ts';
export type { ListenerSummary, LocalLoggerOptions } from './queue/listener.ts';
export type { ListenerReport, QueueListenerOptions } from './queue/listener-options.ts';
export type { SinkStats } from './queue/sink-runner.ts';
export { startTimer, stopTimer, unrefTimer } from './internal/host.ts';
export { FRAME_HEADER_BYTES, FrameDecoder, encodeFrame, type FrameDamage, type FrameDecoderOptions, type WireFrame } from './protocol/frame-codec.ts';
export { createRingBuffer, DEFAULT_RING_BYTES, RING_LAYOUT_VERSION } from './shared-memory/ring-layout.ts';
export { createRingProducerEndpoint } from './shared-memory/ring-producer.ts';
export type { RingProducerEndpoint, RingProducerOptions } from './shared-memory/ring-producer.ts';
export { createRingListenerEndpoint } from './shared-memory/ring-listener.ts';
export type { RingListenerEndpoint } from './shared-memory/ring-listener.ts';
export { createDeferredProducerEndpoint } from './shared-memory/deferred-endpoint.ts';
export type { DeferredProducerEndpoint } from './shared-memory/deferred-endpoint.ts';
export type { RingWriterStats } from './shared-memory/ring-writer.ts';
export { claimRing } from './shared-memory/ring-layout.ts';
export { workerLoggerOn } from './shared-memory/worker-producer.ts';
export type { RingGrant, WorkerLoggerOptions, WorkerProducer, WorkerRuntime } from './shared-memory/worker-producer.ts';
export { DEFAULT_STOP_TIMEOUT, askThenTerminate, politeStop, resolveStopTimeout } from './channel/stop-producer.ts';
export { SETUP_MARK, STOP_MARK, createSetupMailbox, isWorkerSetup } from './shared-memory/setup-mailbox.ts';
export type { SetupMailbox, WorkerSetupMessage } from './shared-memory/setup-mailbox.ts';
