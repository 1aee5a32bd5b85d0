import { isSpanContextValid, trace } from '@opentelemetry/api';
import { addFieldsProvider } from '@tributary/core';
import type { Fields } from '@tributary/core';

/**
 * The active span's ids as record fields: `traceId` (32 hex digits), `spanId` (16 hex digits) and
 * `traceFlags` (a number; bit 0 is "sampled"), the names and forms of OTLP's own log record fields
 * (`trace_id`, `span_id`, `flags`). Undefined when no valid span is active. Reads the span through
 * `@opentelemetry/api`, so it follows whatever context manager the application registered.
 */
export function activeSpanFields(): Fields | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId, traceFlags: spanContext.traceFlags };
}

/**
 * From now on, every record this thread logs inside an active span carries `traceId`, `spanId` and
 * `traceFlags` (see {@link activeSpanFields}); a field of the same name bound to the logger, in the
 * context or in the log call wins. Call it once per thread (in each worker too). Returns a function
 * that turns it off again.
 */
export function enableTraceFields(): () => void {
  return addFieldsProvider(activeSpanFields);
}
