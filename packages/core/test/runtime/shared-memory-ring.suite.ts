import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { QueueHandler, createRingBuffer, createRingListenerEndpoint, createRingProducerEndpoint } from '@tributary/core/adapter';
import { checkOutput, memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/**
 * The shared-memory ring with its producer and listener in one thread (runs the same in Node, Deno
 * and Bun): wrap-around with multi-byte text, exact drop counts, flush answers through the header,
 * and what a vanished producer left behind.
 */
export default function suite(t: TestApi): void {
  const setup = (ringBytes: number, waitTimeout = 0) => {
    const memory = memorySink();
    const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
    const ring = createRingBuffer(ringBytes);
    const listenerEnd = createRingListenerEndpoint(ring);
    listener.attach(listenerEnd);
    const producerEnd = createRingProducerEndpoint(ring, { waitTimeout });
    const handler = new QueueHandler(producerEnd, { producer: 'r1', runtime: 'test' });
    return { memory, listener, listenerEnd, producerEnd, handler };
  };
  const log = (handler: QueueHandler, n: number, text: string): void => handler.write('info', `record ${n}`, '"ring"', '', { n, text });

  t.describe('shared-memory ring (one thread)', () => {
    t.test('records wrap around a small ring many times, multi-byte text intact, exactly once in order', async () => {
      const { memory, listener, listenerEnd, handler } = setup(1024);
      const text = 'ünïcødé 🎉 "quoted" \\ ';
      for (let n = 1; n <= 2_000; n++) {
        log(handler, n, text.repeat(n % 5));
        if (n % 3 === 0) listenerEnd.drain(); // the listener reads often enough that nothing is dropped
      }
      await handler.close();
      await listener.stop();
      const check = checkOutput(memory.lines());
      assert.deepEqual(check.producers.get('r1'), { count: 2_000, maxSeq: 2_000, missing: 0, duplicated: 0, outOfOrder: 0 });
      for (const entry of memory.entries) {
        if (entry.record.producer !== 'r1') continue;
        assert.equal(entry.record['text'], text.repeat(Number(entry.record['n']) % 5));
      }
      assert.equal(check.notices.get('tributary.lost'), undefined);
      assert.equal(check.notices.get('tributary.producer_exited'), undefined, 'bye arrived through the ring');
    });

    t.test('a full ring drops without waiting and the listener reports exactly what was dropped', async () => {
      const { memory, listener, listenerEnd, producerEnd, handler } = setup(1024);
      for (let n = 1; n <= 500; n++) log(handler, n, 'x'.repeat(50));
      listenerEnd.drain();
      for (let n = 501; n <= 503; n++) log(handler, n, 'after room came back'); // three fit in the emptied ring
      const dropped = producerEnd.stats.dropped;
      assert.ok(dropped > 0, 'some records were dropped');
      listenerEnd.producerGone('test: producer vanished');
      await listener.stop();
      const check = checkOutput(memory.lines());
      const written = check.producers.get('r1');
      const lost = (check.notices.get('tributary.lost') ?? []).reduce((sum, notice) => sum + Number(notice['lost']), 0);
      assert.ok(written !== undefined && written.duplicated === 0 && written.outOfOrder === 0);
      assert.equal(lost, dropped, 'the loss reports add up to the drops');
      assert.equal(written.count + lost, 503, 'written + lost = logged');
      assert.ok(
        memory.entries.some((entry) => entry.record['n'] === 503),
        'records after the drops arrived',
      );
    });

    t.test('drops at the end of a producer that vanished are counted from the header', async () => {
      const { memory, listener, producerEnd, handler, listenerEnd } = setup(1024);
      for (let n = 1; n <= 300; n++) log(handler, n, 'y'.repeat(40));
      const dropped = producerEnd.stats.dropped;
      listenerEnd.producerGone('test: terminated');
      await listener.stop();
      const check = checkOutput(memory.lines());
      const lost = (check.notices.get('tributary.lost') ?? []).reduce((sum, notice) => sum + Number(notice['lost']), 0);
      assert.ok(dropped > 0);
      assert.equal(lost, dropped);
      assert.equal((check.producers.get('r1')?.count ?? 0) + lost, 300);
      assert.equal((check.notices.get('tributary.producer_exited') ?? []).length, 1);
    });

    t.test('flush() is answered through the ring header', async () => {
      const { memory, listener, handler } = setup(64 * 1024);
      for (let n = 1; n <= 100; n++) log(handler, n, 'flush me');
      assert.equal(await handler.flush(), true);
      assert.equal(memory.entries.filter((entry) => entry.record.producer === 'r1').length, 100);
      await handler.close();
      await listener.stop();
    });

    t.test('a stopped listener: the producer drops at once, never waits, and its flush says false', async () => {
      const { listener, producerEnd, handler } = setup(1024, 60_000);
      await listener.stop();
      for (let n = 1; n <= 1_000; n++) log(handler, n, 'nobody listens');
      assert.equal(producerEnd.stats.waits, 0, 'no wait on a closed listener');
      assert.equal(await handler.flush(), false);
    });

    t.test('bad ring buffers and options fail at configuration time with clear errors', () => {
      assert.throws(() => createRingBuffer(0), /ring capacity/);
      assert.throws(() => createRingListenerEndpoint(new SharedArrayBuffer(4096)), /not a tributary ring/);
      assert.throws(() => createRingProducerEndpoint(createRingBuffer(), { waitTimeout: -1 }), /waitTimeout/);
    });
  });
}
