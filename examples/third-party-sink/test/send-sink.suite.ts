/**
 * The example sink's tests, runtime-neutral: `(t: TestApi) => void`. vitest runs them on Node
 * (send-sink.test.ts); Deno and Bun run the same file through the repository's runtime-test runner.
 */
import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { batchOf } from '@tributary/core/sink';
import { makeEntries, recordingSinkContext, runSinkConformance, type TestApi } from '@tributary/core/testing';
import { sendSink } from '../src/index.ts';

/** A destination in memory: every line of every body it accepted. */
function memoryDestination(): { send: (body: string) => Promise<void>; lines: string[] } {
  const lines: string[] = [];
  return { lines, send: async (body) => void lines.push(...body.split('\n').slice(0, -1)) };
}

export default function sendSinkSuite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'sendSink (from the packed @tributary/core)',
    create: () => {
      const destination = memoryDestination();
      return { sink: sendSink({ send: destination.send }), readBack: async () => [...destination.lines] };
    },
    unreachableDestination: { create: () => sendSink({ send: () => Promise.reject(new Error('connection refused')) }), boundMs: 1_000 },
  });

  t.describe('sendSink', () => {
    t.test('retries a failed send, then delivers', async () => {
      const destination = memoryDestination();
      let failures = 2;
      const sink = sendSink({ send: (body) => (failures-- > 0 ? Promise.reject(new Error('busy')) : destination.send(body)) });
      const context = recordingSinkContext();
      sink.open?.(context);
      await sink.write(batchOf(makeEntries(5)));
      assert.equal(destination.lines.length, 5);
      assert.deepEqual([sink.stats?.written, sink.stats?.dropped, context.drops.length], [5, 0, 0]);
    });

    t.test('after the last attempt the batch is reported through the context as dropped', async () => {
      let sends = 0;
      const sink = sendSink({ send: () => Promise.reject(new Error(`refused ${++sends}`)), attempts: 2 });
      const context = recordingSinkContext();
      sink.open?.(context);
      await sink.write(batchOf(makeEntries(7)));
      assert.equal(sends, 2);
      assert.deepEqual(context.drops, [{ records: 7, reason: 'send failed 2 times: refused 2' }]);
      assert.deepEqual([sink.stats?.written, sink.stats?.dropped, sink.stats?.pendingRecords], [0, 7, 0]);
    });

    t.test('a listener counts what the sink dropped in its summary', async () => {
      const listener = new QueueListener({
        sinks: [sendSink({ send: () => Promise.reject(new Error('down')), attempts: 1 })],
        drainOnExit: false,
        onReport: () => {},
      });
      const log = listener.logger({ name: 'example' });
      for (let index = 0; index < 10; index++) log.info('record', { index });
      const summary = await listener.stop();
      assert.equal(summary.sinks[0]?.dropped, 10);
      assert.equal(summary.complete, false);
    });

    t.test('bad options fail at configuration time with a clear message', () => {
      assert.throws(() => sendSink({} as never), { name: 'TypeError', message: 'sendSink: send must be a function; got null' });
      assert.throws(() => sendSink({ send: async () => {}, attempts: 0 }), {
        name: 'RangeError',
        message: /^sendSink: attempts must be an integer ≥ 1; got 0$/,
      });
    });
  });
}
