import assert from 'node:assert/strict';
import { batchOf } from '../batch.ts';
import type { Batch } from '../batch.ts';
import { QueueListener } from '../queue/listener.ts';
import type { Sink } from '../sink.ts';
import type { SinkUnderTest } from './sink-conformance.ts';
import type { TestApi } from './test-api.ts';
import { makeEntries } from './make-entries.ts';
import { checkOutput } from './verify.ts';

/** What the back-pressure cases need from the conformance suite. */
export interface SyncBackPressureCaseOptions {
  /** Runs `body` with a fresh sink and cleans up after it. */
  readonly withSink: (body: (subject: SinkUnderTest) => Promise<void>) => Promise<void>;
  /** Records for the loop through a listener. */
  readonly records: number;
  /** Whether `readBack()` sees records after `flush()` without `close()`. */
  readonly readableBeforeClose: boolean;
  /** Per-test timeout in milliseconds. */
  readonly timeout: number;
}

/** The queue's bound in the loop case: a few hundred records, so that it fills many times. */
const SMALL_QUEUE_BYTES = 32 * 1024;

/**
 * The conformance cases of a sink that declares `syncBackPressure` (they pass at once for one that
 * does not): `writeSync` while a `write` has not settled writes that write's records first, each
 * once, in order; a loop that never yields, through a `QueueListener` whose asynchronous path is held
 * up, drops nothing and writes every record once, in order; `writeSync` after `close()` fails with an
 * error saying "closed" (the listener counts such a batch as failed) and writes nothing.
 */
export function runSyncBackPressureCases(t: TestApi, options: SyncBackPressureCaseOptions): void {
  const { withSink, records, readableBeforeClose, timeout } = options;
  const declares = (sink: Sink): sink is Sink & { writeSync(batch: Batch): void } => {
    if (sink.syncBackPressure !== true) return false;
    assert.equal(typeof sink.writeSync, 'function', 'a sink that declares syncBackPressure has a writeSync');
    return true;
  };

  t.test(
    'syncBackPressure: writeSync while a write has not settled writes that write first; each record once, in order',
    () =>
      withSink(async ({ sink, readBack }) => {
        if (!declares(sink)) return;
        const entries = makeEntries(40);
        // The first batch makes sure the destination is open.
        await sink.write(batchOf(entries.slice(0, 10)));
        await sink.flush();
        const unsettled = sink.write(batchOf(entries.slice(10, 20)));
        sink.writeSync(batchOf(entries.slice(20, 30)));
        await unsettled;
        await sink.write(batchOf(entries.slice(30)));
        await sink.flush();
        if (!readableBeforeClose) await sink.close();
        assert.deepEqual(
          await readBack(),
          entries.map((entry) => entry.line),
        );
        if (sink.stats !== undefined) assert.equal(sink.stats.written, entries.length, 'stats.written counts each record once');
      }),
    timeout,
  );

  t.test(
    'syncBackPressure: a loop that never yields, through a QueueListener whose asynchronous path is held up, drops nothing',
    () =>
      withSink(async ({ sink, readBack }) => {
        if (!declares(sink)) return;
        let syncWrites = 0;
        const writeSync = sink.writeSync;
        Object.defineProperty(sink, 'writeSync', {
          configurable: true,
          value: (batch: Batch) => {
            syncWrites += 1;
            writeSync.call(sink, batch);
          },
        });
        const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: SMALL_QUEUE_BYTES }], drainOnExit: false });
        const logger = listener.logger({ producer: 'loop', level: 'trace' });
        // The pump will wait for this flush while the loop runs: only writeSync can make room.
        void listener.flush();
        for (let index = 0; index < records; index++) logger.info('tight', { index, text: 'back-pressure' });
        assert.equal(listener.stats.dropped, 0, 'nothing dropped before the loop yields');
        assert.ok(syncWrites > 0, 'the log calls wrote the full queue with writeSync');
        const summary = await listener.stop();
        assert.equal(summary.complete, true, `summary: ${JSON.stringify(summary.sinks)}`);
        const check = checkOutput(await readBack());
        assert.deepEqual(
          [check.producers.get('loop')?.count, check.missing, check.duplicated, check.outOfOrder, check.torn],
          [records, 0, 0, 0, 0],
          'every record once, in order',
        );
        assert.equal(check.notices.get('tributary.dropped'), undefined, 'no drop to report');
      }),
    timeout,
  );

  t.test(
    'syncBackPressure: writeSync after close fails with an error saying closed and writes nothing',
    () =>
      withSink(async ({ sink, readBack }) => {
        if (!declares(sink)) return;
        const entries = makeEntries(10);
        await sink.write(batchOf(entries));
        await sink.close();
        assert.throws(() => sink.writeSync(batchOf(makeEntries(1, 'late'))), /closed/i);
        assert.deepEqual(
          await readBack(),
          entries.map((entry) => entry.line),
        );
      }),
    timeout,
  );
}
