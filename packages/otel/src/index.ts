/** @tributary/otel: the active OpenTelemetry span's traceId, spanId and traceFlags on every record. */
export { activeSpanFields, enableTraceFields } from './trace-fields.ts';
