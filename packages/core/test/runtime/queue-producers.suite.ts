import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import type { ListenerReport } from '@tributary/core';
import { checkOutput, memorySink, stallingSink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { scriptedListenerEndpoint, lines, slowSink } from './queue-fixtures.ts';

/** The queue: in-process producers. */
export default function suite(t: TestApi): void {
  t.describe('queue: in-process producers', () => {
    t.test('several local producers: each has seq 1..N without gaps, duplicates or reordering', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const producers = ['main', 'p2', 'p3'];
      const loggers = producers.map((producer) => listener.logger({ producer, batchSize: 7 + producers.indexOf(producer) * 50 }));
      const perProducer = 3_000;
      for (let index = 0; index < perProducer; index++) {
        for (const logger of loggers) logger.info('record', { index });
        if (index % 500 === 0) await Promise.resolve();
      }
      const summary = await listener.stop();
      const check = checkOutput(sink.lines());
      assert.equal(check.torn, 0);
      for (const producer of producers) {
        assert.deepEqual(check.producers.get(producer), { count: perProducer, maxSeq: perProducer, missing: 0, duplicated: 0, outOfOrder: 0 });
      }
      assert.equal(summary.received, perProducer * producers.length);
      assert.equal(summary.lost, 0);
      assert.equal(summary.timedOut, false);
      assert.equal(check.notices.size, 0, 'nothing to report');
    });

    t.test('flush() resolves true only after the records reached a slow sink', async () => {
      const sink = slowSink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const logger = listener.logger({ flushInterval: 50 });
      for (let index = 0; index < 300; index++) logger.info('r', { index });
      assert.equal(await logger.flush(), true);
      assert.equal(sink.lines().length, 300);
      assert.ok(sink.flushes >= 1);
      for (let index = 0; index < 100; index++) logger.info('more', { index });
      assert.equal(await listener.flush(), true);
      assert.equal(sink.lines().length, 400);
      await listener.stop();
    });

    t.test('stop() drains, flushes and closes the sinks, resolves once with the same promise, and is idempotent', async () => {
      const sink = slowSink();
      const other = memorySink();
      const listener = new QueueListener({ sinks: [sink, other], drainOnExit: false });
      const logger = listener.logger({ producer: 'a' });
      for (let index = 0; index < 500; index++) logger.info('r', { index });
      const first = listener.stop();
      const second = listener.stop();
      assert.equal(first, second);
      let resolutions = 0;
      void first.then(() => (resolutions += 1));
      const summary = await first;
      await listener[Symbol.asyncDispose]();
      assert.equal(await listener.stop(), summary);
      assert.equal(resolutions, 1);
      assert.equal(summary.timedOut, false);
      assert.equal(summary.received, 500);
      assert.equal(sink.lines().length, 500);
      assert.equal(other.lines().length, 500);
      assert.ok(sink.flushes >= 1, 'flushed');
      assert.equal(sink.closes, 1, 'closed once');
      assert.doesNotThrow(() => logger.info('after stop'));
      assert.equal(sink.lines().length, 500);
      const late = scriptedListenerEndpoint();
      listener.attach(late);
      assert.equal(late.sent[0]?.type, 'refused');
      assert.equal(late.closed, true);
    });

    t.test('stop() with a stalled sink gives up after stopTimeout; the healthy sink has everything', async () => {
      const stalled = stallingSink();
      const healthy = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [stalled, healthy], stopTimeout: 300, drainOnExit: false, onReport: (report) => reports.push(report) });
      const logger = listener.logger();
      for (let index = 0; index < 100; index++) logger.info('r', { index });
      const summary = await listener.stop();
      assert.equal(summary.timedOut, true);
      assert.equal(healthy.lines().length, 100);
      assert.ok(reports.some((report) => /stop\(\) gave up after 300 ms/.test(report.message)));
      stalled.release();
    });

    t.test('records logged before stop() reach the sinks even with a partial batch on a timer', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const logger = listener.logger({ flushInterval: 60_000, batchSize: 1_000 });
      for (let index = 0; index < 10; index++) logger.info('r', { index });
      assert.equal(sink.lines().length, 0);
      await listener.stop();
      assert.equal(checkOutput(sink.lines()).producers.get('main')?.count, 10);
    });
  });
}
