import assert from 'node:assert/strict';
import { QueueListener, SinkClosedError } from '@tributary/core';
import type { LogEntry, Sink } from '@tributary/core';
import type { Batch } from '@tributary/core/sink';
import { checkOutput, memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/** Records per tight loop: far more than the small queues below hold. */
const RECORDS = 20_000;
/** The sink queue's bound in these tests: a few hundred records. */
const SMALL_QUEUE_BYTES = 64 * 1024;

/**
 * A sink whose destination is full: every `write` waits (its promise stays pending, its batch held)
 * until `release()`. Its `writeSync` keeps the `syncBackPressure` contract: the held batch first
 * (its promise then resolves), then the batch given. `failSyncWrites` makes the first N writeSync
 * calls throw before writing anything.
 */
function heldSink(options: { syncBackPressure: boolean; failSyncWrites?: number }): Sink & {
  readonly lines: string[];
  syncWrites: number;
  release(): void;
} {
  const lines: string[] = [];
  let held: { batch: Batch; resolve: () => void } | undefined;
  let released = false;
  let failuresLeft = options.failSyncWrites ?? 0;
  let closed = false;
  const take = (batch: Batch): void => {
    for (const entry of batch) lines.push(entry.line);
  };
  const finishHeld = (): void => {
    const current = held;
    held = undefined;
    if (current === undefined) return;
    take(current.batch);
    current.resolve();
  };
  const sink = {
    name: 'held',
    syncBackPressure: options.syncBackPressure,
    lines,
    syncWrites: 0,
    release() {
      released = true;
      finishHeld();
    },
    write(batch: Batch): void | Promise<void> {
      if (closed) throw new SinkClosedError('held');
      if (released) return take(batch);
      return new Promise<void>((resolve) => {
        held = { batch, resolve };
      });
    },
    writeSync(batch: Batch): void {
      if (closed) throw new SinkClosedError('held');
      sink.syncWrites += 1;
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('disk full (simulated)');
      }
      finishHeld();
      take(batch);
    },
    flush: async () => {},
    close: async () => {
      closed = true;
    },
    [Symbol.asyncDispose]: async () => {
      closed = true;
    },
  };
  return sink;
}

/** Logs `count` records in a loop that never yields. */
function tightLoop(listener: QueueListener, count: number): void {
  const logger = listener.logger({ name: 'loop' });
  for (let index = 1; index <= count; index++) logger.info('tight', { index });
}

function loopRecords(lines: readonly string[]): string[] {
  return lines.filter((line) => line.includes('"msg":"tight"'));
}

/** The queue: back-pressure in a loop that never yields. */
export default function suite(t: TestApi): void {
  t.describe('queue: back-pressure', () => {
    t.test('syncBackPressure: a sink whose writes complete synchronously is written as the loop goes: nothing dropped, the queue stays short', async () => {
      const sink = { ...memorySink(), syncBackPressure: true };
      const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: SMALL_QUEUE_BYTES }], drainOnExit: false });
      tightLoop(listener, RECORDS);
      const during = listener.stats;
      assert.equal(during.dropped, 0, 'nothing dropped before the loop yields');
      assert.ok((during.sinks[0]?.pending ?? 0) < 4096, `the queue stays short; pending ${during.sinks[0]?.pending}`);
      const summary = await listener.stop();
      assert.equal(summary.complete, true);
      const check = checkOutput(sink.lines());
      assert.deepEqual([check.producers.get('main')?.count, check.missing, check.duplicated, check.outOfOrder, check.torn], [RECORDS, 0, 0, 0, 0]);
    });

    t.test('syncBackPressure: a full queue of a sink whose write waits is written with writeSync, each record once, in order', async () => {
      const sink = heldSink({ syncBackPressure: true });
      const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: SMALL_QUEUE_BYTES }], drainOnExit: false });
      tightLoop(listener, RECORDS);
      const during = listener.stats;
      assert.equal(during.dropped, 0, 'nothing dropped before the loop yields');
      assert.ok(sink.syncWrites > 0, 'the log calls wrote the queue with writeSync');
      assert.ok((during.sinks[0]?.pending ?? 0) < RECORDS / 4, 'the queue stayed within its bound');
      sink.release();
      const summary = await listener.stop();
      assert.equal(summary.complete, true, JSON.stringify(summary.sinks));
      assert.equal(summary.sinks[0]?.written, RECORDS);
      const check = checkOutput(sink.lines);
      assert.deepEqual([check.producers.get('main')?.count, check.missing, check.duplicated, check.outOfOrder, check.torn], [RECORDS, 0, 0, 0, 0]);
      assert.equal(check.notices.get('tributary.dropped'), undefined);
    });

    t.test('without syncBackPressure the same loop drops what does not fit, counted exactly and reported', async () => {
      const sink = heldSink({ syncBackPressure: false });
      const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: SMALL_QUEUE_BYTES }], drainOnExit: false, onReport: () => {} });
      tightLoop(listener, RECORDS);
      assert.equal(sink.syncWrites, 0, 'writeSync is for the exit drain only');
      const droppedDuring = listener.stats.dropped;
      assert.ok(droppedDuring > RECORDS / 2, `most records cannot wait in the small queue; dropped ${droppedDuring}`);
      sink.release();
      const summary = await listener.stop();
      const written = loopRecords(sink.lines).length;
      const dropped = summary.sinks[0]?.dropped ?? 0;
      assert.ok(dropped >= droppedDuring, 'the partial batch the logger still held at the end may drop too');
      assert.equal(summary.dropped, dropped);
      assert.equal(written + dropped, RECORDS, 'every record written or counted as dropped');
      const check = checkOutput(sink.lines);
      assert.deepEqual([check.duplicated, check.outOfOrder, check.torn], [0, 0, 0]);
      const noticed = (check.notices.get('tributary.dropped') ?? []).reduce((sum, notice) => sum + Number(notice['queueFull']), 0);
      assert.equal(noticed, dropped, 'the sink is told of every drop in a tributary.dropped record');
    });

    t.test('a writeSync that throws is counted as failed and reported; the sink is told once it writes again', async () => {
      const sink = heldSink({ syncBackPressure: true, failSyncWrites: 1 });
      const neighbour = memorySink('neighbour');
      const listener = new QueueListener({
        sinks: [{ sink, maxPendingBytes: SMALL_QUEUE_BYTES }, neighbour],
        drainOnExit: false,
        onReport: () => {},
      });
      tightLoop(listener, RECORDS);
      const during = listener.stats.sinks[0];
      assert.ok(during !== undefined && during.failed > 0, 'the failed writeSync counts its records');
      assert.equal(during.dropped, 0);
      sink.release();
      const summary = await listener.stop();
      const failed = summary.sinks[0]?.failed ?? 0;
      assert.equal(failed, during.failed, 'only the one failed batch');
      assert.equal(loopRecords(sink.lines).length + failed, RECORDS, 'every record written or counted as failed');
      const check = checkOutput(sink.lines);
      assert.deepEqual([check.duplicated, check.outOfOrder, check.torn], [0, 0, 0]);
      const told = check.notices.get('tributary.dropped') ?? [];
      assert.equal(
        told.reduce((sum, notice) => sum + Number(notice['writeFailed']), 0),
        failed,
        'the sink is told of the failed records',
      );
      const errors = checkOutput(neighbour.lines()).notices.get('tributary.sink_error') ?? [];
      assert.ok(
        errors.some((notice) => notice['operation'] === 'writeSync' && notice['sink'] === 'held'),
        'the neighbour gets a sink_error record for the writeSync',
      );
    });

    t.test('a sink that declares syncBackPressure without a writeSync drops as before, counted', async () => {
      const entries: LogEntry[] = [];
      let hold: Promise<void> | undefined;
      let release: () => void = () => {};
      const sink: Sink = {
        name: 'declared-only',
        syncBackPressure: true,
        write(batch) {
          entries.push(...batch.entries);
          hold ??= new Promise<void>((resolve) => {
            release = resolve;
          });
          return hold;
        },
        flush: async () => {},
        close: async () => {},
        [Symbol.asyncDispose]: async () => {},
      };
      const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: SMALL_QUEUE_BYTES }], drainOnExit: false, onReport: () => {} });
      tightLoop(listener, RECORDS);
      const dropped = listener.stats.dropped;
      assert.ok(dropped > 0);
      release();
      const summary = await listener.stop();
      assert.equal(loopRecords(entries.map((entry) => entry.line)).length + summary.dropped, RECORDS);
    });
  });
}
