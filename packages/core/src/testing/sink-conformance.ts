import assert from 'node:assert/strict';
import { batchOf } from '../batch.ts';
import { RecordEncoder } from '../encode/record-encoder.ts';
import { entryFromLine } from '../entry.ts';
import { QueueListener } from '../queue/listener.ts';
import type { Sink, SinkStats } from '../sink.ts';
import { recordingSinkContext } from './sink-context.ts';
import type { TestApi } from './test-api.ts';
import { waitFor } from './test-api.ts';
import { failingSink, memorySink, stallingSink } from './test-sinks.ts';
import { checkOutput } from './verify.ts';
import { makeEntries } from './make-entries.ts';
import { runSyncBackPressureCases } from './sync-back-pressure-cases.ts';

/** One fresh sink for one conformance test, with a way to read back what it wrote. */
export interface SinkUnderTest {
  readonly sink: Sink;
  /**
   * Every line the sink's destination received so far, one JSON record per line (the suite gives
   * JSON-lines sinks; a sink with another format converts back for the check).
   */
  readBack(): Promise<string[]>;
  /** Removes files, stops servers. Default: nothing. */
  cleanup?(): Promise<void>;
}

/** How to run the sink conformance suite for one sink. */
export interface SinkConformanceOptions {
  /** Names the describe block. */
  readonly name: string;
  /** Makes a fresh sink writing JSON lines, plus its read-back. */
  create(): Promise<SinkUnderTest> | SinkUnderTest;
  /** Records per volume test. Default: 2,000. */
  readonly records?: number;
  /** Whether `readBack()` sees records after `flush()` without `close()`. Default: true. */
  readonly readableBeforeClose?: boolean;
  /**
   * Whether the sink's `writeSync` delivers. A sink that cannot write synchronously (an HTTP sink:
   * `fetch` has no synchronous form) but has a `writeSync` that reports, as dropped, exactly what it
   * holds and the batch it is handed, passes `false`: the suite then checks that report instead of
   * the delivery. Default: true.
   */
  readonly writeSyncDelivers?: boolean;
  /** Per-test timeout in milliseconds. Default: 60,000. */
  readonly timeout?: number;
  /**
   * Capability: the sink has a remote destination that can be unreachable (a collector, a server).
   * When given, the suite runs "stop with its destination unreachable settles within the bound and
   * counts every undelivered record": `create()` makes a sink whose destination is down, the suite
   * logs records through a `QueueListener` to it and a healthy neighbour and awaits `stop()`, which
   * must settle within `boundMs` (plus 5 s of slack for slow machines) without the listener timing
   * out, with every record counted in the sink's `dropped` (reported through `context.dropped`
   * before its `close()` resolves) and none in `failed` (its writes do not throw for it). Sinks without a remote destination (files, stdout) leave it out, and the
   * case is skipped. Default: none (skipped).
   */
  readonly unreachableDestination?: {
    /** Makes a fresh sink (writing JSON lines) whose destination is unreachable. */
    create(): Promise<Sink> | Sink;
    /** The sink's documented longest wait for its destination at stop, in milliseconds. */
    readonly boundMs: number;
  };
}

/** Asserts that `stats` has the shape every sink's `stats` has: five non-negative integers. */
function assertStatsShape(stats: SinkStats | undefined): asserts stats is SinkStats {
  assert.ok(stats !== null && typeof stats === 'object', 'sink.stats is an object');
  for (const key of ['written', 'dropped', 'failed', 'pendingRecords', 'pendingBytes'] as const) {
    const value = stats[key];
    assert.ok(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0, `sink.stats.${key} is a non-negative integer; got ${String(value)}`);
  }
}

/**
 * The contract every sink keeps, as tests: `write` takes a `Batch`; records in = lines out, in
 * order; flush; close idempotent; write after close gives a clear error without crashing; `stats`
 * has the common shape and counts (when the sink has `stats`); a healthy sink reports no drop or
 * failure through its context; a failing or stalled neighbour does not stop it. Call it once per sink inside a test file: `runSinkConformance({ describe, test }, {...})`.
 */
export function runSinkConformance(t: TestApi, options: SinkConformanceOptions): void {
  const count = options.records ?? 2_000;
  const timeout = options.timeout ?? 60_000;
  const withSink = async (body: (subject: SinkUnderTest) => Promise<void>): Promise<void> => {
    const subject = await options.create();
    try {
      await body(subject);
    } finally {
      await subject.sink.close().catch(() => {});
      await subject.cleanup?.();
    }
  };

  t.describe(`sink conformance: ${options.name}`, () => {
    t.test(
      'every record written once, in order, as one line each',
      () =>
        withSink(async ({ sink, readBack }) => {
          const entries = makeEntries(count);
          for (let index = 0; index < entries.length; index += 97) await sink.write(batchOf(entries.slice(index, index + 97)));
          await sink.close();
          const lines = await readBack();
          assert.deepEqual(
            lines,
            entries.map((entry) => entry.line),
          );
        }),
      timeout,
    );

    t.test(
      'stats has the common shape and counts what was written; nothing is reported through the context',
      () =>
        withSink(async ({ sink }) => {
          const context = recordingSinkContext();
          sink.open?.(context);
          if (sink.stats === undefined) return; // a sink without stats: only the context is checked
          assertStatsShape(sink.stats);
          assert.equal(sink.stats.written, 0);
          const entries = makeEntries(300);
          await sink.write(batchOf(entries.slice(0, 100)));
          await sink.write(batchOf(entries.slice(100)));
          await sink.flush();
          const flushed = sink.stats;
          assertStatsShape(flushed);
          assert.equal(flushed.written, entries.length, 'written counts every record after flush()');
          assert.equal(flushed.pendingRecords, 0, 'nothing pending after flush()');
          assert.equal(flushed.pendingBytes, 0, 'no pending bytes after flush()');
          await sink.close();
          const closed = sink.stats;
          assertStatsShape(closed);
          assert.deepEqual([closed.written, closed.dropped, closed.failed], [entries.length, 0, 0]);
          assert.notEqual(sink.stats, sink.stats, 'stats is a fresh snapshot on every read');
          assert.deepEqual([context.drops.length, context.failures.length], [0, 0], 'a healthy sink reports no drop or failure');
        }),
      timeout,
    );

    t.test(
      'records through a QueueListener arrive complete with per-producer order',
      () =>
        withSink(async ({ sink, readBack }) => {
          const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
          const loggers = [listener.logger({ producer: 'a', level: 'trace' }), listener.logger({ producer: 'b', level: 'trace' })];
          for (let index = 0; index < count; index++) loggers[index % 2]?.info('hello', { index, nested: { ok: true } });
          const summary = await listener.stop();
          assert.equal(summary.timedOut, false);
          const check = checkOutput(await readBack());
          assert.equal(check.torn, 0);
          assert.equal(check.producers.get('a')?.count, count / 2);
          assert.equal(check.producers.get('b')?.count, count / 2);
          assert.equal(check.missing + check.duplicated + check.outOfOrder, 0);
        }),
      timeout,
    );

    if (options.readableBeforeClose !== false) {
      t.test(
        'flush() makes written records readable',
        () =>
          withSink(async ({ sink, readBack }) => {
            const entries = makeEntries(50);
            await sink.write(batchOf(entries));
            await sink.flush();
            assert.deepEqual(
              await readBack(),
              entries.map((entry) => entry.line),
            );
          }),
        timeout,
      );
    }

    if (options.readableBeforeClose !== false && options.writeSyncDelivers !== false) {
      t.test(
        'writeSync (the exit and signal drain): an empty batch writes what the sink still holds from write(), a batch goes after it, in order',
        () =>
          withSink(async ({ sink, readBack }) => {
            if (sink.writeSync === undefined) return;
            const entries = makeEntries(30);
            // The first batch makes sure the destination is open (a socket connected).
            await sink.write(batchOf(entries.slice(0, 10)));
            await sink.flush();
            await sink.write(batchOf(entries.slice(10, 20)));
            sink.writeSync(batchOf([]));
            sink.writeSync(batchOf(entries.slice(20)));
            const expected = entries.map((entry) => entry.line);
            await waitFor(async () => (await readBack()).length >= expected.length, 'the synchronously written records at the destination', 10_000).catch(
              () => {},
            );
            assert.deepEqual(await readBack(), expected);
          }),
        timeout,
      );
    }

    if (options.writeSyncDelivers === false) {
      t.test(
        'writeSync of a sink that cannot write synchronously: what it holds and the batch are reported dropped, exactly once',
        () =>
          withSink(async ({ sink, readBack }) => {
            assert.ok(sink.writeSync !== undefined, 'writeSyncDelivers: false is for a sink that has a writeSync');
            const context = recordingSinkContext();
            sink.open?.(context);
            const entries = makeEntries(30);
            await sink.write(batchOf(entries.slice(0, 10)));
            await sink.flush();
            await sink.write(batchOf(entries.slice(10, 20)));
            const held = sink.stats?.pendingRecords;
            sink.writeSync(batchOf([]));
            sink.writeSync(batchOf(entries.slice(20)));
            if (held !== undefined) assert.equal(context.droppedRecords, held + 10, 'what the sink held and the batch, each reported once');
            assert.equal(sink.stats?.pendingRecords ?? 0, 0, 'nothing held after writeSync');
            await sink.close();
            const lines = await readBack();
            const expected = entries.map((entry) => entry.line);
            assert.deepEqual(lines.slice(0, 10), expected.slice(0, 10), 'what was flushed before arrived');
            const later = lines.slice(10);
            assert.deepEqual(later, expected.slice(10, 10 + later.length), 'a request already under way may still arrive, in order, once');
            assert.ok(later.length + context.droppedRecords >= 20, 'every record after the flush arrived or was reported dropped');
            assert.equal(context.failedRecords, 0);
          }),
        timeout,
      );
    }

    t.test(
      'flush and close on an empty sink, close twice, asyncDispose after close',
      () =>
        withSink(async ({ sink, readBack }) => {
          await sink.flush();
          await sink.close();
          await sink.close();
          await sink[Symbol.asyncDispose]?.();
          assert.deepEqual(await readBack(), []);
        }),
      timeout,
    );

    t.test(
      'write after close fails with a clear error and loses nothing written before',
      () =>
        withSink(async ({ sink, readBack }) => {
          const entries = makeEntries(10);
          await sink.write(batchOf(entries));
          await sink.close();
          let failure: unknown;
          try {
            await sink.write(batchOf(makeEntries(1, 'late')));
          } catch (error) {
            failure = error;
          }
          assert.ok(failure instanceof Error, 'write after close must throw or reject with an Error');
          assert.match(String((failure as Error).message), /closed/i);
          assert.deepEqual(
            await readBack(),
            entries.map((entry) => entry.line),
          );
        }),
      timeout,
    );

    t.test(
      'a failing and a stalled neighbour do not stop it',
      () =>
        withSink(async ({ sink, readBack }) => {
          const stalled = stallingSink();
          const reports: string[] = [];
          const listener = new QueueListener({
            sinks: [failingSink(), { sink: stalled, maxPendingBytes: 4096 }, sink],
            onReport: (report) => reports.push(report.message),
            stopTimeout: 1_000,
            flushTimeout: 1_000,
            drainOnExit: false,
          });
          const logger = listener.logger({ producer: 'solo' });
          for (let index = 0; index < 500; index++) logger.info('isolated', { index });
          assert.equal(await listener.flush(), false, 'flush cannot complete while a sink is stalled');
          const summary = await listener.stop();
          stalled.release();
          assert.equal(summary.timedOut, true);
          const check = checkOutput(await readBack());
          assert.equal(check.producers.get('solo')?.count, 500);
          assert.ok(check.notices.get('tributary.sink_error')?.length, 'the failure is reported to the healthy sink');
          assert.ok(reports.some((line) => line.includes('failing')));
          const stalledStats = summary.sinks.find((stats) => stats.name === 'stalled');
          assert.ok(stalledStats !== undefined && stalledStats.dropped > 0, 'the stalled sink drops beyond its bound');
        }),
      timeout,
    );

    const unreachable = options.unreachableDestination;
    if (unreachable !== undefined) {
      t.test(
        'stop with its destination unreachable settles within the bound and counts every undelivered record',
        async () => {
          const sink = await unreachable.create();
          const neighbour = memorySink('neighbour');
          const listener = new QueueListener({
            sinks: [sink, neighbour],
            drainOnExit: false,
            stopTimeout: unreachable.boundMs * 4 + 60_000,
            onReport: () => {},
          });
          const logger = listener.logger({ name: 'conformance' });
          const records = 25;
          for (let index = 1; index <= records; index++) logger.info('record', { index });
          const limitMs = unreachable.boundMs + 5_000;
          let timer: ReturnType<typeof setTimeout> | undefined;
          const summary = await Promise.race([
            listener.stop(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`stop() did not settle within ${limitMs} ms (bound ${unreachable.boundMs} ms)`)), limitMs);
            }),
          ]).finally(() => clearTimeout(timer));
          assert.equal(summary.timedOut, false, 'the listener did not have to give up on the sink');
          const stats = summary.sinks[0];
          assert.equal(stats?.dropped, records, 'every undelivered record is counted as dropped');
          assert.equal(stats?.failed, 0, 'the sink handles its destination itself: no write threw for it');
          assert.equal(neighbour.lines().filter((line) => line.includes('"msg":"record"')).length, records, 'the neighbour got every record');
        },
        timeout,
      );
    }

    runSyncBackPressureCases(t, { withSink, records: count, readableBeforeClose: options.readableBeforeClose !== false, timeout });

    t.test(
      'long lines and non-ASCII text arrive intact',
      () =>
        withSink(async ({ sink, readBack }) => {
          const encoder = new RecordEncoder({ producer: 'big', pid: 1 });
          const text = `${'x'.repeat(100_000)} 日本語 \u2028 \u0000 end`;
          const entry = entryFromLine(encoder.encode('info', text, encoder.quoteName('big'), 1, '', { k: 'v' }), 'info');
          await sink.write(batchOf([entry]));
          await sink.close();
          const lines = await readBack();
          assert.equal(lines.length, 1);
          assert.equal((JSON.parse(lines[0] as string) as { msg: string }).msg, text);
        }),
      timeout,
    );
  });
}
