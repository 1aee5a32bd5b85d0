import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { describe, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { bigText, checkOutput, memorySink } from '@tributary/core/testing';
import { attachWorker, startWorker, workerLogger } from '@tributary/node-worker';

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);
/** Workers import the built packages, not vitest's source condition. */
const execArgv: string[] = [];

function newListener() {
  const memory = memorySink();
  const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
  return { memory, listener };
}

describe('node-worker ring', () => {
  test('a 10 MiB record through a 64 KiB ring arrives whole, then the worker exits at once', async () => {
    const { memory, listener } = newListener();
    const size = 10 * 1024 * 1024;
    // A patient wait: this test is about the record arriving whole, not about the drop policy.
    const script = { records: 100, bigRecord: size, then: 'exit', waitTimeout: 30_000 };
    const limits = { maxStringLength: 2 * size };
    const { exited } = startWorker(listener, fixture('script-worker.mjs'), { producer: 'big', ringBytes: 64 * 1024, workerData: { script, limits }, execArgv });
    await exited;
    await listener.stop();
    const records = memory.entries.filter((entry) => entry.record.producer === 'big');
    assert.equal(records.length, 101, JSON.stringify(memory.entries.filter((entry) => entry.record.producer !== 'big').map((entry) => entry.line)));
    const big = records[100]?.record;
    assert.equal(big?.seq, 101);
    // (compared as a boolean: a failing diff of 10 MiB strings helps nobody)
    assert.ok(big?.['big'] === bigText(size), `the big record arrived whole (got ${String(big?.['big']).length} characters)`);
    assert.deepEqual(checkOutput(memory.lines()).notices.get('tributary.lost'), undefined);
  }, 120_000);

  test('ring full and no wait: every dropped record is counted exactly, none silently', async () => {
    const { memory, listener } = newListener();
    const records = 2_000;
    const done = new SharedArrayBuffer(4);
    const { worker, exited } = startWorker(listener, fixture('full-ring-worker.mjs'), {
      producer: 'full',
      ringBytes: 1024,
      workerData: { records, done },
      execArgv,
    });
    // Block this thread (the listener's) so the ring fills up, until the worker is done logging.
    const outcome = Atomics.wait(new Int32Array(done), 0, 0, 60_000);
    assert.notEqual(outcome, 'timed-out', 'the worker finished logging while nobody read its ring');
    await worker.terminate();
    await exited;
    await listener.stop();
    const check = checkOutput(memory.lines());
    const written = check.producers.get('full');
    assert.ok(written !== undefined && written.duplicated === 0 && written.outOfOrder === 0);
    const lost = (check.notices.get('tributary.lost') ?? []).filter((notice) => notice['lostProducer'] === 'full');
    const lostCount = lost.reduce((sum, notice) => sum + Number(notice['lost']), 0);
    assert.ok(lostCount > 0, 'records were dropped');
    assert.ok(written.count > 0, 'records were written');
    assert.equal(written.count + lostCount, records, 'written + reported lost = logged');
  }, 120_000);

  test('attachWorker: records logged before the parent attached are kept, flush waits for the connection', async () => {
    const { memory, listener } = newListener();
    const worker = new Worker(fixture('attach-worker.mjs'), { execArgv });
    const producer = `w${worker.threadId}`;
    const { exited } = attachWorker(listener, worker);
    await exited;
    await listener.stop();
    const check = checkOutput(memory.lines());
    assert.deepEqual(check.producers.get(producer), { count: 200, maxSeq: 200, missing: 0, duplicated: 0, outOfOrder: 0 });
    const later = memory.entries.find((entry) => entry.record['n'] === 101);
    assert.equal(later?.record['flushed'], true, 'flush() resolved true once the ring was connected');
    assert.equal(check.notices.get('tributary.producer_exited'), undefined, 'the worker said goodbye');
  }, 60_000);

  test('workerLogger() on the main thread fails with a clear error', () => {
    assert.throws(() => workerLogger(), /runs inside a worker thread/);
  });
});
