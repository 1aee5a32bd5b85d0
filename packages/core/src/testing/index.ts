/** @tributary/core/testing: conformance suites and test helpers for sinks and adapters. */
export { runSinkConformance, makeEntries } from './sink-conformance.ts';
export type { SinkConformanceOptions, SinkUnderTest } from './sink-conformance.ts';
export { memorySink, failingSink, stallingSink } from './test-sinks.ts';
export { multiByteMessages, ringBatches, ringEntries } from './ring-entries.ts';
export type { MemorySink } from './test-sinks.ts';
export { recordingSinkContext } from './sink-context.ts';
export type { RecordingSinkContext } from './sink-context.ts';
export { checkOutput, splitLines } from './verify.ts';
export type { OutputCheck, ProducerCheck } from './verify.ts';
export { waitFor } from './test-api.ts';
export type { TestApi } from './test-api.ts';
export { runAdapterConformance } from './adapter-conformance.ts';
export type { AdapterCapabilities, AdapterConformanceOptions, AdapterHarness, AdapterProducer } from './adapter-conformance.ts';
export { runProducerScript, bigText } from './adapter-script.ts';
export type { ProducerScript, ProducerScriptHost } from './adapter-script.ts';
