// The README's example: records logged inside an OpenTelemetry span carry its ids.
// Run: node packages/otel/examples/traced.mjs (after a build).
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { QueueListener } from '@tributary/core';
import { enableTraceFields } from '@tributary/otel';
import { stdoutSink } from '@tributary/sink-stdout';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()); // usually the SDK's job
enableTraceFields();

const listener = new QueueListener({ sinks: [stdoutSink()] });
const log = listener.logger({ name: 'checkout' });

// A span as a tracer would start it (here: one arriving with a W3C traceparent header).
const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 });
await context.with(trace.setSpan(context.active(), span), async () => {
  log.info('charging card', { orderId: 42 });
  await new Promise((resolve) => setTimeout(resolve, 1));
  log.info('charged'); // still inside the span, after an await
});
log.info('outside any span');
await listener.stop();
