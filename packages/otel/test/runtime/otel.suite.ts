import assert from 'node:assert/strict';
import { TraceFlags, context, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { QueueListener } from '@tributary/core';
import type { Logger } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { activeSpanFields, enableTraceFields } from '@tributary/otel';

type Row = Record<string, unknown>;

const pause = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** A span context with ids made from `n`. */
function spanContextFor(n: number, traceFlags: number = TraceFlags.SAMPLED): SpanContext {
  const hex = (digits: number) => (n + 1).toString(16).padStart(digits, '0');
  return { traceId: `4bf92f3577b34da6a3ce929d${hex(8)}`, spanId: `00f067aa${hex(8)}`, traceFlags };
}

/** Runs `fn` with a span of `spanContext` active, through the real API and the registered context manager. */
function inSpan<R>(spanContext: SpanContext, fn: () => R): R {
  return context.with(trace.setSpan(context.active(), trace.wrapSpanContext(spanContext)), fn);
}

/** The real @opentelemetry/api with its AsyncLocalStorage context manager, trace fields on, and a listener. */
async function withTracing(body: (logger: Logger) => Promise<void> | void): Promise<Row[]> {
  const manager = new AsyncLocalStorageContextManager().enable();
  assert.equal(context.setGlobalContextManager(manager), true);
  const disable = enableTraceFields();
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
  try {
    await body(listener.logger({ name: 'app' }));
    assert.equal(await listener.flush(), true);
  } finally {
    disable();
    context.disable(); // unregisters the global context manager
    await listener.stop();
  }
  return sink.lines().map((line) => JSON.parse(line) as Row);
}

/** @tributary/otel with the real @opentelemetry/api and an AsyncLocalStorage context manager, on each runtime. */
export default function suite(t: TestApi): void {
  t.describe('@tributary/otel', () => {
    t.test('records inside an active span carry its traceId, spanId and traceFlags; outside none', async () => {
      const span = spanContextFor(1);
      const rows = await withTracing(async (logger) => {
        logger.info('before');
        await inSpan(span, async () => {
          logger.info('inside');
          await pause(1);
          logger.child('db').info('after an await');
        });
        logger.info('after');
      });
      assert.deepEqual(
        rows.map((row) => [row['msg'], row['traceId'], row['spanId'], row['traceFlags']]),
        [
          ['before', undefined, undefined, undefined],
          ['inside', span.traceId, span.spanId, 1],
          ['after an await', span.traceId, span.spanId, 1],
          ['after', undefined, undefined, undefined],
        ],
      );
    });

    t.test('concurrent, interleaved spans: each record has the ids of its own span', async () => {
      const rows = await withTracing(async (logger) => {
        await Promise.all(
          Array.from({ length: 10 }, (_, n) =>
            inSpan(spanContextFor(n), async () => {
              logger.info('step', { n });
              await pause((n * 3) % 4);
              logger.info('step', { n });
            }),
          ),
        );
      });
      assert.equal(rows.length, 20);
      for (const row of rows) {
        const expected = spanContextFor(Number(row['n']));
        assert.deepEqual([row['traceId'], row['spanId']], [expected.traceId, expected.spanId]);
      }
      assert.notEqual(rows[0]?.['n'], rows[1]?.['n'], 'the spans interleaved');
    });

    t.test('an invalid span context adds nothing; an unsampled span has traceFlags 0; a call field wins', async () => {
      const rows = await withTracing((logger) => {
        inSpan({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }, () => logger.info('invalid'));
        inSpan(spanContextFor(7, TraceFlags.NONE), () => {
          logger.info('unsampled');
          logger.info('own', { traceId: 'mine' });
        });
      });
      assert.deepEqual(
        rows.map((row) => [row['msg'], row['traceId'] === undefined ? undefined : String(row['traceId']).slice(-4), row['traceFlags']]),
        [
          ['invalid', undefined, undefined],
          ['unsampled', '0008', 0],
          ['own', 'mine', 0],
        ],
      );
    });

    t.test('activeSpanFields reads the active span; turned off, records carry nothing', async () => {
      const span = spanContextFor(3);
      const manager = new AsyncLocalStorageContextManager().enable();
      context.setGlobalContextManager(manager);
      try {
        assert.equal(activeSpanFields(), undefined);
        assert.deepEqual(
          inSpan(span, () => activeSpanFields()),
          { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 },
        );
        const sink = memorySink();
        const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
        const disable = enableTraceFields();
        disable();
        inSpan(span, () => listener.logger().info('off'));
        await listener.stop();
        assert.equal((JSON.parse(sink.lines()[0] ?? '{}') as Row)['traceId'], undefined);
      } finally {
        context.disable();
      }
    });
  });
}
