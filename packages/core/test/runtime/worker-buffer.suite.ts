import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { createRingBuffer, createRingListenerEndpoint, workerLoggerOn } from '@tributary/core/adapter';
import type { RingGrant, WorkerProducer, WorkerRuntime } from '@tributary/core/adapter';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { createDeferredProducerEndpoint } from '../../src/shared-memory/deferred-endpoint.ts';

const encoder = new TextEncoder();
const utf8Bytes = (text: string): number => encoder.encode(text).length;

/** A worker runtime with no ring at start; `grant` hands it one later, as `attachWorker()` does. */
function waitingRuntime(): { runtime: WorkerRuntime; grant: (grant: RingGrant) => void } {
  let pending: ((grant: RingGrant) => void) | undefined;
  return {
    runtime: { runtime: 'test', defaultProducer: 'buffered', initial: undefined, awaitGrant: (callback) => (pending = callback) },
    grant: (grant) => pending?.(grant),
  };
}

/** What a worker keeps before its ring arrives is bounded by `maxBufferedChars`, counted in UTF-16 code units. */
export default function suite(t: TestApi): void {
  t.describe('the buffer of a worker waiting for its ring', () => {
    t.test('the bound counts characters (UTF-16 code units), not UTF-8 bytes: non-ASCII lines fill it exactly', () => {
      const endpoint = createDeferredProducerEndpoint(10);
      const lines = ['éééé', '😀😀', 'éé']; // 4 + 4 + 2 = 10 code units, 8 + 8 + 4 = 20 UTF-8 bytes
      lines.forEach((line, index) => endpoint.appendLine(index + 1, line));
      endpoint.appendLine(4, 'a'); // 11 > 10: dropped
      assert.equal(
        lines.reduce((total, line) => total + utf8Bytes(line), 0),
        20,
        'twice the bound in bytes, all kept',
      );
      assert.equal(endpoint.droppedWhileWaiting, 1);
      assert.deepEqual(endpoint.takeLines(), lines);
    });

    t.test('workerLogger maxBufferedChars: the records that fit in characters are delivered, in order, once the ring arrives', async () => {
      const maxBufferedChars = 1_000;
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], onReport: () => {}, drainOnExit: false, drainOnSignals: false });
      const { runtime, grant } = waitingRuntime();
      const slot: { current?: WorkerProducer } = {};
      const log = workerLoggerOn(slot, { maxBufferedChars }, () => runtime);
      for (let n = 1; n <= 9; n++) log.info('é'.repeat(200), { n });
      const ring = createRingBuffer(64 * 1024);
      listener.attach(createRingListenerEndpoint(ring));
      grant({ buffer: ring });
      await slot.current?.connected;
      assert.equal(await listener.flush(), true);
      const delivered = sink.entries.filter((entry) => entry.record['producer'] === 'buffered').map((entry) => entry.line);
      const lineChars = delivered[0]?.length ?? 0;
      const lineBytes = utf8Bytes(delivered[0] ?? '');
      assert.ok(
        delivered.every((line) => line.length === lineChars),
        'the nine lines have one length',
      );
      assert.equal(delivered.length, Math.floor(maxBufferedChars / lineChars), 'as many as fit in characters');
      assert.ok(delivered.length > Math.floor(maxBufferedChars / lineBytes), 'more than would fit in UTF-8 bytes');
      assert.deepEqual(
        delivered.map((line) => JSON.parse(line).n),
        Array.from({ length: delivered.length }, (_, index) => index + 1),
        'the first ones, in order',
      );
      await slot.current?.handler.close();
      await listener.stop();
    });

    t.test('a bad maxBufferedChars, or the old name maxBufferedBytes, throws at configuration time', () => {
      const notReached = (): WorkerRuntime => {
        throw new Error('the runtime was set up before the options were checked');
      };
      assert.throws(() => workerLoggerOn({}, { maxBufferedChars: 0 }, notReached), /^RangeError: workerLogger maxBufferedChars must be an integer ≥ 1; got 0$/);
      assert.throws(() => workerLoggerOn({}, { maxBufferedChars: 1.5 }, notReached), /maxBufferedChars must be an integer/);
      assert.throws(() => workerLoggerOn({}, { maxBufferedBytes: 1024 } as never, notReached), /workerLogger: maxBufferedBytes is now maxBufferedChars/);
    });
  });
}
