/** @tributary/sink-otlp: OpenTelemetry logs over OTLP/HTTP (JSON), with retries per the specification and exact loss counts. */
export { otlpSink } from './otlp-sink.ts';
export type { OtlpSink, OtlpSinkStats } from './otlp-sink.ts';
export type { OtlpRetryOptions, OtlpSinkOptions } from './options.ts';
export { SEVERITY_NUMBER } from './encoding/severity.ts';
export { toOtlpLogRecord } from './encoding/log-record.ts';
export type { OtlpLogRecord } from './encoding/log-record.ts';
export { toAnyValue } from './encoding/any-value.ts';
export type { AnyValue, KeyValue } from './encoding/any-value.ts';
