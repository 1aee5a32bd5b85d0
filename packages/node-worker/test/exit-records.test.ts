import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink } from '@tributary/core/testing';
import { startWorker } from '@tributary/node-worker';

const fixture = new URL('./fixtures/ending-worker.mjs', import.meta.url);
/** Workers import the built packages, not vitest's source condition. */
const execArgv: string[] = [];

/** Runs one ending-worker to its end; returns how it ended and the listener's exit records. */
async function runToEnd(workerData: Record<string, unknown>) {
  const memory = memorySink();
  const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
  const connected = startWorker(listener, fixture, { workerData: { records: 300, ...workerData }, execArgv });
  connected.worker.on('error', () => {});
  const exit = await connected.exited;
  await listener.stop();
  const check = checkOutput(memory.lines());
  assert.equal(check.producers.get(connected.producer)?.count, 300, 'every record arrived');
  return { exit, producer: connected.producer, exited: check.notices.get('tributary.producer_exited') ?? [] };
}

describe('node-worker exit records', () => {
  test('a worker whose work ran out: reason ended, no tributary.producer_exited record', async () => {
    const { exit, producer, exited } = await runToEnd({ then: 'end' });
    assert.deepEqual(exit, { reason: 'ended', code: 0, lastSeq: 300 });
    assert.match(producer, /^worker-\d+$/, 'the default producer id');
    assert.deepEqual(exited, []);
  }, 60_000);

  test('a worker that threw: reason crashed with the message, one warn record with the last sequence', async () => {
    const { exit, producer, exited } = await runToEnd({ then: 'throw' });
    assert.deepEqual(exit, { reason: 'crashed', code: 1, message: 'ending-worker: uncaught on purpose', lastSeq: 300 });
    assert.equal(exited.length, 1);
    assert.equal(exited[0]?.['level'], 'warn');
    assert.equal(exited[0]?.['exitedProducer'], producer);
    assert.equal(exited[0]?.['exitReason'], 'crashed');
    assert.equal(exited[0]?.['lastSeq'], 300);
  }, 60_000);

  test('process.exit(3) in the worker: reason crashed with code 3, one warn record', async () => {
    const { exit, exited } = await runToEnd({ then: 'exit', code: 3 });
    assert.deepEqual(exit, { reason: 'crashed', code: 3, lastSeq: 300 });
    assert.deepEqual(exited.map((notice) => [notice['exitReason'], notice['exitCode']]), [['crashed', 3]]);
  }, 60_000);

  test('two workers on one listener get worker-1 and worker-2', async () => {
    const listener = new QueueListener({ sinks: [], onReport: () => {}, drainOnExit: false });
    const first = startWorker(listener, fixture, { workerData: { records: 1, then: 'end' }, execArgv });
    const second = startWorker(listener, fixture, { workerData: { records: 1, then: 'end' }, execArgv });
    assert.deepEqual([first.producer, second.producer], ['worker-1', 'worker-2']);
    await Promise.all([first.exited, second.exited]);
    await listener.stop();
  }, 60_000);
});
