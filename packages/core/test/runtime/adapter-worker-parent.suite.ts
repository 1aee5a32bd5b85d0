import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { QueueHandler, connectWorker, createRingProducerEndpoint, defaultProducerId } from '@tributary/core/adapter';
import type { WorkerEvents, WorkerSetupMessage } from '@tributary/core/adapter';
import { checkOutput, memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/**
 * core's worker parent kit with the "worker" in this thread: the launch primitive writes into the
 * ring it is handed, and the test plays the runtime's error and exit events. Runs the same on Node,
 * Deno and Bun.
 */
export default function suite(t: TestApi): void {
  interface Fake {
    setup?: WorkerSetupMessage;
    events?: WorkerEvents;
    asked: number;
    terminated: number;
  }
  const setup = () => {
    const memory = memorySink();
    const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
    const fake: Fake = { asked: 0, terminated: 0 };
    const connected = connectWorker(listener, { adapter: 'test-adapter', started: true }, (given, events) => {
      fake.setup = given;
      fake.events = events;
      return { worker: 'the worker', askToStop: () => (fake.asked += 1), terminate: () => (fake.terminated += 1) };
    });
    const handler = new QueueHandler(createRingProducerEndpoint((fake.setup as WorkerSetupMessage).buffer), { producer: connected.producer, runtime: 'test' });
    const log = (count: number): void => {
      for (let n = 1; n <= count; n++) handler.write('info', `record ${n}`, '"kit"', '', { n });
    };
    const exitRecords = () => checkOutput(memory.lines()).notices.get('tributary.producer_exited') ?? [];
    return { memory, listener, fake, connected, handler, log, exitRecords, events: fake.events as WorkerEvents };
  };

  t.describe('worker parent kit (connectWorker)', () => {
    t.test('a worker that said goodbye, then crashed: reason crashed, one warn record with the last sequence', async () => {
      const { listener, connected, handler, log, exitRecords, events } = setup();
      log(200);
      await handler.close();
      events.error('boom');
      events.gone(1);
      assert.deepEqual(await connected.exited, { reason: 'crashed', code: 1, message: 'boom', lastSeq: 200 });
      await listener.stop();
      const records = exitRecords();
      assert.equal(records.length, 1);
      assert.deepEqual(
        [records[0]?.['level'], records[0]?.['exitReason'], records[0]?.['lastSeq'], records[0]?.['exitedProducer']],
        ['warn', 'crashed', 200, connected.producer],
      );
    });

    t.test('a worker that ended without a goodbye (Deno and Bun workers): reason ended, no exit record', async () => {
      const { listener, connected, log, exitRecords, events } = setup();
      log(100);
      events.gone();
      assert.deepEqual(await connected.exited, { reason: 'ended', lastSeq: 100 });
      await listener.stop();
      assert.deepEqual(exitRecords(), []);
    });

    t.test('stop() asks, then terminates after stopTimeout; terminate() is idempotent; exits are the same object', async () => {
      const { listener, connected, fake, log, exitRecords, events } = setup();
      log(10);
      const stopping = connected.stop();
      assert.equal(fake.asked, 1);
      events.gone(0);
      const exit = await stopping;
      assert.deepEqual(exit, { reason: 'stopped', code: 0, lastSeq: 10 });
      assert.equal(await connected.terminate(), exit);
      assert.equal(fake.terminated, 0, 'an ended worker is not terminated');
      await listener.stop();
      assert.deepEqual(exitRecords(), []);
    });

    t.test('terminate(): reason terminated and one warn record', async () => {
      const { listener, connected, fake, log, exitRecords, events } = setup();
      log(5);
      const ending = connected.terminate();
      void connected.terminate();
      assert.equal(fake.terminated, 1);
      events.gone(1);
      assert.equal((await ending).reason, 'terminated');
      await listener.stop();
      assert.deepEqual(
        exitRecords().map((record) => record['exitReason']),
        ['terminated'],
      );
    });

    t.test('bad options are refused before the worker is launched', () => {
      const listener = new QueueListener({ sinks: [], onReport: () => {} });
      let launched = 0;
      const launch = () => {
        launched += 1;
        return { worker: null, askToStop() {}, terminate() {} };
      };
      assert.throws(
        () => connectWorker(listener, { adapter: 'test-adapter', started: true, producer: '' }, launch),
        /test-adapter: producer must be a non-empty string/,
      );
      assert.throws(() => connectWorker(listener, { adapter: 'test-adapter', started: true, stopTimeout: 0 }, launch), /stopTimeout must be an integer ≥ 1/);
      assert.throws(() => connectWorker(listener, { adapter: 'test-adapter', started: true, waitTimeout: -1 }, launch), /waitTimeout must be an integer ≥ 0/);
      assert.throws(() => connectWorker(listener, { adapter: 'test-adapter', started: true, ringBytes: 0 }, launch), /ring capacity/);
      assert.equal(launched, 0);
    });

    t.test('defaultProducerId counts per listener and kind', () => {
      const one = {};
      const two = {};
      assert.deepEqual(
        [defaultProducerId(one, 'worker'), defaultProducerId(one, 'worker'), defaultProducerId(one, 'child'), defaultProducerId(two, 'worker')],
        ['worker-1', 'worker-2', 'child-1', 'worker-1'],
      );
      assert.throws(() => defaultProducerId(one, ''), TypeError);
    });
  });
}
