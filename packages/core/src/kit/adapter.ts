/**
 * @tributary/core/adapter: the kit for adapter authors — channel endpoints, frames and the frame
 * codec, the producer-side queue, the shared-memory ring, the worker kit, the stream channel, the
 * stop helpers and the host module (runtime key, pid, exit and signal hooks).
 */
export { CORE_FIELDS } from '../record.ts';
export type { LogEntry } from '../record.ts';
export { LEVEL_VALUES, SILENT, parseThreshold, thresholdFromName, thresholdValue } from '../levels.ts';
export { DEFAULT_THRESHOLD, LEVEL_VARIABLES, environmentThreshold, resolveLoggerLevel } from '../level-environment.ts';
export { entryFromLine } from '../entry.ts';
export { levelOfLine } from '../canonical-level.ts';
export { resolveEncodeLimits } from '../encode/limits.ts';
export type { EncodeLimits } from '../encode/limits.ts';
export type { RedactOptions } from '../encode/redact.ts';
export { RecordEncoder } from '../encode/record-encoder.ts';
export type { RecordOrigin } from '../encode/record-encoder.ts';
export { describeThrown, quoteString, renderValue } from '../encode/json-value.ts';
export { PROTOCOL_VERSION, invalidProducerFrame } from '../protocol/frames.ts';
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
} from '../protocol/frames.ts';
export type { ChannelCloseInfo, ListenerEndpoint, ProducerEndpoint } from '../channel/types.ts';
export { createInProcessChannel } from '../channel/in-process.ts';
export type { InProcessChannel } from '../channel/in-process.ts';
export { QueueHandler } from '../queue/handler.ts';
export type { QueueHandlerStats, RecordWriter } from '../queue/handler.ts';
export type { QueueHandlerOptions } from '../queue/handler-options.ts';
export { FRAME_HEADER_BYTES, FrameDecoder, encodeFrame } from '../protocol/frame-codec.ts';
export type { FrameDamage, FrameDecoderOptions, WireFrame } from '../protocol/frame-codec.ts';
export { createRingBuffer, claimRing, DEFAULT_RING_BYTES } from '../shared-memory/ring-layout.ts';
export { createRingProducerEndpoint } from '../shared-memory/ring-producer.ts';
export type { RingProducerEndpoint, RingProducerOptions } from '../shared-memory/ring-producer.ts';
export { createRingListenerEndpoint } from '../shared-memory/ring-listener.ts';
export type { RingListenerEndpoint } from '../shared-memory/ring-listener.ts';
export { workerLoggerOn } from '../shared-memory/worker-producer.ts';
export type { RingGrant, WorkerLoggerOptions, WorkerProducer, WorkerRuntime } from '../shared-memory/worker-producer.ts';
export { DEFAULT_STOP_TIMEOUT, askThenTerminate, politeStop, resolveStopTimeout } from '../channel/stop-producer.ts';
export { SETUP_MARK, STOP_MARK, createSetupMailbox, isWorkerSetup } from '../shared-memory/setup-mailbox.ts';
export type { SetupMailbox, WorkerSetupMessage } from '../shared-memory/setup-mailbox.ts';
// The host module: runtime key, pid, exit and signal hooks, environment, timers, text codec.
export {
  afterCurrentTask,
  currentPid,
  newTextDecoder,
  newTextEncoder,
  onProcessExit,
  onSignal,
  onTerminationSignal,
  readEnvironment,
  reportToConsole,
  runtime,
  runtimeDescription,
  startKeepAliveTimer,
  startTimer,
  stopKeepAliveTimer,
  stopTimer,
  unrefTimer,
} from '../internal/host.ts';
export type { HostTextDecoder, HostTextEncoder, RuntimeKey, TerminationSignalHook } from '../internal/host.ts';
// The stream channel: framing over a byte stream with injected read/write primitives.
export { checkDelivery } from '../stream/delivery.ts';
export type { DeliveryMode } from '../stream/delivery.ts';
export { StreamWriter } from '../stream/stream-writer.ts';
export type { StreamWriteSync } from '../stream/stream-writer.ts';
export { StreamProducerEndpoint } from '../stream/stream-producer.ts';
export type { StreamProducerIo, StreamProducerSettings } from '../stream/stream-producer.ts';
export { StreamListenerEndpoint } from '../stream/stream-listener.ts';
export type { StreamListenerIo, StreamListenerOptions, StreamProducerStatus, StreamProducerWatch } from '../stream/stream-listener.ts';
export type { ConnectedProducer, ProducerExit, ProducerExitReason } from '../adapter/connected-producer.ts';
// The worker parent kit: one parent side for every worker adapter.
export { connectWorker } from '../adapter/worker-parent.ts';
export type { ConnectWorkerOptions, ConnectedWorker, LaunchWorker, WorkerChannelOptions, WorkerControl, WorkerEvents } from '../adapter/worker-parent.ts';
export { defaultProducerId } from '../adapter/producer-id.ts';
export { requireRuntime, wrongRuntimeError } from '../adapter/wrong-runtime.ts';
export type { WrongRuntimeError } from '../adapter/wrong-runtime.ts';
// Threads the application did not start: acceptWorkers() over the process's accept channel.
export { acceptWorkersOn } from '../adapter/accept-workers.ts';
export type { AcceptWorkersOptions, AcceptedExit, AcceptedWorkers, ThreadWatcher } from '../adapter/accept-workers.ts';
export { createdWorkerWatcher } from '../adapter/created-workers.ts';
export type { CreatedWorkerEvents } from '../adapter/created-workers.ts';
export { announceToAcceptors } from '../shared-memory/accept-request.ts';
export type { ProvisionalRing } from '../shared-memory/provisional-ring.ts';
export type { AcceptIdentity } from '../shared-memory/accept-messages.ts';
