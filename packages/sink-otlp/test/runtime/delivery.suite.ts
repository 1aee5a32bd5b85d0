import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { batchOf } from '@tributary/core/sink';
import { makeEntries, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import type { ReceiverAnswer } from '@tributary/sink-otlp/receiver';
import { closedPort, noEnvironment, openWithContext, sinkWithReceiver } from './helpers.ts';

/** Fast retries, so that the tests do not wait for the defaults. */
const QUICK_RETRY = { initialDelayMs: 10, maxDelayMs: 50 } as const;

/** Answers from a list, one per request, then 200 for every later one. */
function answersInTurn(...answers: ReceiverAnswer[]): () => ReceiverAnswer {
  let next = 0;
  return () => answers[next++] ?? {};
}

/** Delivery per the OTLP specification: what is retried, what is not, and how every loss is counted. */
export default function suite(t: TestApi): void {
  t.describe('otlp sink delivery', () => {
    t.test('requests are bounded by maxBatchRecords and maxBatchBytes, and keep the records in order', async () => {
      const { otlpSink: sink, receiver, readBack, cleanup } = await sinkWithReceiver({ maxBatchRecords: 100, maxBatchBytes: 16 * 1024 });
      try {
        const entries = makeEntries(2_000);
        await sink.write(batchOf(entries));
        await sink.flush();
        assert.deepEqual(
          await readBack(),
          entries.map((entry) => entry.line),
        );
        assert.ok(receiver.requests.length >= 20, `at least 2,000 / 100 requests; got ${receiver.requests.length}`);
        for (const request of receiver.requests) {
          assert.ok(request.records <= 100, `a request of ${request.records} records`);
          assert.ok(request.bytes <= 16 * 1024, `a request of ${request.bytes} bytes`);
        }
        assert.ok(
          receiver.requests.some((request) => request.bytes > 8 * 1024),
          'the byte bound, not only the record bound, cut requests',
        );
        assert.equal(sink.stats.requests, receiver.requests.length);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('gzip: every request is compressed, and arrives whole', async () => {
      const { otlpSink: sink, receiver, readBack, cleanup } = await sinkWithReceiver({ compression: 'gzip' });
      try {
        const entries = makeEntries(500);
        await sink.write(batchOf(entries));
        await sink.flush();
        assert.equal((await readBack()).length, 500);
        assert.ok(receiver.requests.length > 0 && receiver.requests.every((request) => request.compressed && request.headers['content-encoding'] === 'gzip'));
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    for (const status of [400, 413]) {
      t.test(`HTTP ${status} is never retried: the request's records are dropped and reported, without the headers`, async () => {
        const secret = 'Bearer s3cr3t-token-value';
        const {
          otlpSink: sink,
          receiver,
          readBack,
          cleanup,
        } = await sinkWithReceiver(
          { headers: { authorization: secret }, retry: QUICK_RETRY },
          { respond: answersInTurn({ status, errorMessage: 'bad request body' }) },
        );
        try {
          const context = openWithContext(sink);
          const entries = makeEntries(40);
          await sink.write(batchOf(entries.slice(0, 25)));
          await waitFor(() => sink.stats.pendingRecords === 0, 'the refused request to settle');
          await sink.write(batchOf(entries.slice(25)));
          await sink.flush();
          assert.equal(receiver.requests.length, 2, 'one refused request, not retried, then the next one');
          assert.equal(receiver.requests[0]?.status, status);
          assert.equal(receiver.requests[0]?.headers.authorization, secret, 'the header was sent');
          assert.deepEqual(
            await readBack(),
            entries.slice(25).map((entry) => entry.line),
          );
          assert.deepEqual([sink.stats.written, sink.stats.dropped, sink.stats.retries], [15, 25, 0]);
          assert.equal(context.droppedRecords, 25);
          assert.match(context.drops[0]?.reason ?? '', new RegExp(`HTTP ${status}: bad request body \\(not retried\\)`));
          const reported = JSON.stringify([context.drops, context.failures.map((failure) => String(failure.error)), context.notices]);
          assert.ok(!reported.includes('s3cr3t'), 'no report carries the header');
        } finally {
          await sink.close();
          await cleanup?.();
        }
      });
    }

    t.test('503 and 502 are retried with backoff, 429 after its Retry-After; each record arrives once; the outage is reported once', async () => {
      const {
        otlpSink: sink,
        receiver,
        readBack,
        cleanup,
      } = await sinkWithReceiver(
        { retry: QUICK_RETRY },
        { respond: answersInTurn({ status: 503 }, { status: 502 }, { status: 504 }, { status: 429, retryAfter: '1' }) },
      );
      try {
        const context = openWithContext(sink);
        const entries = makeEntries(100);
        await sink.write(batchOf(entries));
        await sink.flush();
        assert.deepEqual(
          receiver.requests.map((request) => request.status),
          [503, 502, 504, 429, 200],
        );
        assert.deepEqual(
          await readBack(),
          entries.map((entry) => entry.line),
        );
        assert.deepEqual([sink.stats.written, sink.stats.dropped, sink.stats.retries, sink.stats.available], [100, 0, 4, true]);
        assert.equal(context.failures.length, 1, 'one failure per outage');
        assert.equal(context.failures[0]?.records, 0, 'the outage itself loses nothing');
        assert.deepEqual(
          context.notices.map((notice) => notice.event),
          ['tributary.reconnected'],
        );
        assert.equal(context.notices[0]?.fields.failedAttempts, 4);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('a partial success: the rejected records are counted dropped with the collector message, the others written', async () => {
      const { otlpSink: sink, receiver, cleanup } = await sinkWithReceiver({}, { respond: answersInTurn({ rejectedLogRecords: 7, errorMessage: 'too old' }) });
      try {
        const context = openWithContext(sink);
        await sink.write(batchOf(makeEntries(30)));
        await sink.flush();
        assert.deepEqual([receiver.accepted, receiver.rejected], [23, 7]);
        assert.deepEqual([sink.stats.written, sink.stats.dropped], [23, 7]);
        assert.equal(context.droppedRecords, 7);
        assert.match(context.drops[0]?.reason ?? '', /partial success\): too old \(7 of 30 records/);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('a Retry-After beyond retry.maxElapsedMs: the request is given up at once, not tried before the collector asked', async () => {
      const {
        otlpSink: sink,
        receiver,
        cleanup,
      } = await sinkWithReceiver({ retry: { ...QUICK_RETRY, maxElapsedMs: 10_000 } }, { respond: () => ({ status: 429, retryAfter: '3600' }) });
      try {
        const context = openWithContext(sink);
        await sink.write(batchOf(makeEntries(12)));
        await waitFor(() => sink.stats.pendingRecords === 0, 'the sink to give up');
        assert.deepEqual([receiver.requests.length, sink.stats.retries, sink.stats.dropped], [1, 0, 12]);
        assert.match(context.drops[0]?.reason ?? '', /gave up after 1 try .*HTTP 429/);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('a request retried longer than retry.maxElapsedMs is given up and counted', async () => {
      const {
        otlpSink: sink,
        receiver,
        cleanup,
      } = await sinkWithReceiver({ retry: { ...QUICK_RETRY, maxElapsedMs: 300 } }, { respond: () => ({ status: 503, errorMessage: 'overloaded' }) });
      try {
        const context = openWithContext(sink);
        await sink.write(batchOf(makeEntries(20)));
        await waitFor(() => sink.stats.pendingRecords === 0, 'the sink to give up');
        assert.deepEqual([sink.stats.written, sink.stats.dropped, context.droppedRecords], [0, 20, 20]);
        assert.ok(receiver.requests.length >= 2, 'retried before giving up');
        assert.match(context.drops[0]?.reason ?? '', /gave up after \d+ tries .*HTTP 503: overloaded/);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('while the collector is unavailable, records beyond the buffer are dropped at once and counted; the rest arrive later', async () => {
      let available = false;
      const {
        otlpSink: sink,
        receiver,
        readBack,
        cleanup,
      } = await sinkWithReceiver({ bufferRecords: 100, retry: QUICK_RETRY }, { respond: () => (available ? {} : { status: 503 }) });
      try {
        const context = openWithContext(sink);
        const entries = makeEntries(350);
        await sink.write(batchOf(entries.slice(0, 50)));
        await waitFor(() => !sink.stats.available, 'the first 503');
        await sink.write(batchOf(entries.slice(50)));
        assert.deepEqual([sink.stats.pendingRecords, sink.stats.dropped], [100, 250]);
        assert.match(context.drops[0]?.reason ?? '', /buffer \(100 records/);
        available = true;
        await sink.flush();
        assert.deepEqual(
          await readBack(),
          entries.slice(0, 100).map((entry) => entry.line),
        );
        assert.deepEqual([sink.stats.written, sink.stats.dropped, context.droppedRecords], [100, 250, 250]);
        assert.ok(receiver.requests.length >= 2);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('while the collector answers, a write that finds the buffer full waits for room: nothing is dropped', async () => {
      const { otlpSink: sink, readBack, cleanup } = await sinkWithReceiver({ bufferRecords: 50, maxBatchRecords: 20 }, { respond: () => ({ delayMs: 5 }) });
      try {
        const context = openWithContext(sink);
        const entries = makeEntries(1_000);
        for (let index = 0; index < entries.length; index += 200) {
          await sink.write(batchOf(entries.slice(index, index + 200)));
          assert.ok(sink.stats.pendingRecords <= 50, `held ${sink.stats.pendingRecords}`);
        }
        await sink.flush();
        assert.deepEqual(
          await readBack(),
          entries.map((entry) => entry.line),
        );
        assert.equal(context.droppedRecords, 0);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('listener.stop() with the collector down needs one drainTimeoutMs, not one for flush and another for close', async () => {
      const sink = otlpSink({ endpoint: `http://127.0.0.1:${await closedPort()}/v1/logs`, env: noEnvironment, drainTimeoutMs: 2_000, retry: QUICK_RETRY });
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, stopTimeout: 3_000, onReport: () => {} });
      const logger = listener.logger({ producer: 'stop' });
      for (let index = 0; index < 40; index++) logger.info('undeliverable', { index });
      const summary = await listener.stop();
      assert.equal(summary.timedOut, false, 'the listener did not have to give up on the sink');
      assert.deepEqual([summary.sinks[0]?.dropped, summary.sinks[0]?.failed], [40, 0]);
    });

    t.test('close with the collector down: what it held is dropped with the exact count after drainTimeoutMs', async () => {
      const sink = otlpSink({ endpoint: `http://127.0.0.1:${await closedPort()}/v1/logs`, env: noEnvironment, drainTimeoutMs: 200, retry: QUICK_RETRY });
      const context = openWithContext(sink);
      await sink.write(batchOf(makeEntries(75)));
      await sink.close();
      assert.deepEqual([sink.stats.dropped, context.droppedRecords, sink.stats.pendingRecords, sink.stats.written], [75, 75, 0, 0]);
      assert.match(String(context.failures[0]?.error), /the request failed/);
    });
  });
}
