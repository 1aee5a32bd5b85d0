import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { describe, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink } from '@tributary/core/testing';
import { attachWorker, startWorker } from '@tributary/node-worker';

const fixture = new URL('./fixtures/stoppable-worker.mjs', import.meta.url);
/** Workers import the built packages, not vitest's source condition. */
const execArgv: string[] = [];

function newListener() {
  const memory = memorySink();
  const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
  return { memory, listener };
}

/** Waits for the fixture's 'logged' message: its records reached the listener. */
async function logged(worker: Worker): Promise<void> {
  for (;;) {
    const [message] = (await once(worker, 'message')) as [unknown];
    if (message === 'logged') return;
  }
}

/** The producer's records, checked: exactly `count`, none missing, none twice, in order. */
function assertAllArrived(lines: readonly string[], producer: string, count: number): ReturnType<typeof checkOutput> {
  const check = checkOutput(lines);
  assert.deepEqual(check.producers.get(producer), { count, maxSeq: count, missing: 0, duplicated: 0, outOfOrder: 0 });
  assert.equal(check.notices.get('tributary.lost'), undefined, 'nothing reported lost');
  return check;
}

describe('node-worker stop() and terminate()', () => {
  test('stop(): the worker closes its logger and ends with code 0; every record arrives; stop() is idempotent', async () => {
    const { memory, listener } = newListener();
    const connected = startWorker(listener, fixture, { producer: 'idle', workerData: { records: 500, then: 'idle' }, execArgv });
    await logged(connected.worker);
    const first = connected.stop();
    assert.equal(connected.stop(), first, 'a second call gives the same promise');
    assert.deepEqual(await first, { reason: 'stopped', code: 0, lastSeq: 500 });
    assert.equal(await connected.exited, await first);
    assert.equal(await connected.stop(), await first, 'stopping a stopped worker resolves at once');
    assert.equal(connected.producer, 'idle');
    await listener.stop();
    const check = assertAllArrived(memory.lines(), 'idle', 500);
    assert.equal(check.notices.get('tributary.producer_exited'), undefined, 'the worker said goodbye');
  }, 60_000);

  test('stop(): a worker that never yields cannot hear it and is terminated after stopTimeout; what it logged arrives', async () => {
    const { memory, listener } = newListener();
    const connected = startWorker(listener, fixture, { producer: 'spin', stopTimeout: 300, workerData: { records: 500, then: 'spin' }, execArgv });
    await logged(connected.worker);
    assert.deepEqual(await connected.stop(), { reason: 'terminated', code: 1, lastSeq: 500 }, 'terminated (exit code 1)');
    await listener.stop();
    const check = assertAllArrived(memory.lines(), 'spin', 500);
    assert.deepEqual(
      check.notices.get('tributary.producer_exited')?.map((notice) => [notice['exitReason'], notice['lastSeq']]),
      [['terminated', 500]],
    );
  }, 60_000);

  test('terminate(): ends the worker at once; what it logged arrives', async () => {
    const { memory, listener } = newListener();
    const connected = startWorker(listener, fixture, { producer: 'ended', workerData: { records: 500, then: 'idle' }, execArgv });
    await logged(connected.worker);
    const exit = await connected.terminate();
    assert.deepEqual(exit, { reason: 'terminated', code: 1, lastSeq: 500 });
    assert.equal(await connected.terminate(), exit, 'terminating an ended worker resolves with how it ended');
    assert.equal(await connected.stop(), exit);
    await listener.stop();
    assertAllArrived(memory.lines(), 'ended', 500);
  }, 60_000);

  test('attachWorker(): stop() reaches a worker wired after it started', async () => {
    const { memory, listener } = newListener();
    const worker = new Worker(fixture, { workerData: { records: 300, then: 'idle' }, execArgv });
    const producer = `w${worker.threadId}`; // (threadId reads -1 once the worker has ended)
    const connected = attachWorker(listener, worker);
    await logged(worker);
    assert.equal((await connected.stop()).reason, 'stopped');
    assert.equal(connected.producer, producer, 'an attached worker is known by the id its logger announced');
    await listener.stop();
    assertAllArrived(memory.lines(), producer, 300);
  }, 60_000);

  test('a bad stopTimeout is refused at configuration time, before any worker starts', () => {
    const { listener } = newListener();
    assert.throws(() => startWorker(listener, fixture, { stopTimeout: 0, workerData: { records: 1 }, execArgv }), /stopTimeout must be an integer ≥ 1/);
    assert.throws(() => attachWorker(listener, {} as Worker, { stopTimeout: 1.5 }), /stopTimeout must be an integer ≥ 1/);
  });
});
