import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { QueueHandler } from '@tributary/core/adapter';
import type { ListenerReport, LogEntry, Sink } from '@tributary/core';
import type { SinkContext } from '@tributary/core/sink';
import { checkOutput, failingSink, memorySink, stallingSink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { recordingProducerEndpoint, lines, parsed, flakySink } from './queue-fixtures.ts';

/** The queue: failing sinks. */
export default function suite(t: TestApi): void {
  t.describe('queue: failing sinks', () => {
    t.test('failure reports are rate-limited per sink, with the count of those suppressed', async () => {
      let clock = 1_000;
      const reports: ListenerReport[] = [];
      const failing = failingSink();
      const healthy = memorySink();
      const listener = new QueueListener({
        sinks: [failing, healthy],
        errorReportInterval: 5_000,
        now: () => clock,
        onReport: (report) => reports.push(report),
        drainOnExit: false,
      });
      const logger = listener.logger();
      for (let round = 0; round < 5; round++) {
        logger.info('r', { round });
        assert.equal(await listener.flush(), true);
        clock += 100;
      }
      assert.equal(failing.attempts, 5);
      assert.equal(reports.length, 1);
      assert.match(reports[0]?.message ?? '', /^sink failing failed to write 1 records: disk on fire$/);
      clock += 5_000;
      logger.info('later');
      await listener.flush();
      assert.equal(reports.length, 2);
      assert.match(reports[1]?.message ?? '', /\(and 4 more failures since the last report\)$/);
      await listener.stop();
      const errors = parsed(healthy).filter((record) => record['msg'] === 'tributary.sink_error');
      assert.deepEqual(
        errors.map((record) => [record['sink'], record['suppressed']]),
        [
          ['failing', 0],
          ['failing', 4],
        ],
      );
      assert.equal(parsed(healthy).filter((record) => record['msg'] === 'r' || record['msg'] === 'later').length, 6, 'the healthy sink got everything');
    });

    t.test('an onReport callback that throws breaks nothing: logging, flushing and the other sinks go on', async () => {
      const healthy = memorySink();
      let reports = 0;
      const listener = new QueueListener({
        sinks: [
          failingSink(),
          {
            sink: failingSink('filtered'),
            filter: () => {
              throw new Error('filter bug');
            },
          },
          healthy,
        ],
        errorReportInterval: 0,
        drainOnExit: false,
        onReport: () => {
          reports += 1;
          throw new Error('report handler bug');
        },
      });
      const logger = listener.logger();
      for (let index = 0; index < 20; index++) assert.doesNotThrow(() => logger.info('r', { index }));
      assert.equal(await logger.flush(), true);
      assert.equal(await listener.flush(), true);
      assert.ok(reports > 0);
      await listener.stop();
      assert.equal(checkOutput(healthy.lines()).producers.get('main')?.count, 20);
    });

    t.test("two failing sinks do not report each other's failures forever", async () => {
      const first = failingSink('first');
      const second = failingSink('second');
      const healthy = memorySink();
      const listener = new QueueListener({ sinks: [first, second, healthy], errorReportInterval: 0, drainOnExit: false, onReport: () => {} });
      const logger = listener.logger();
      logger.info('one');
      assert.equal(await listener.flush(), true);
      await listener.stop();
      const errors = parsed(healthy).filter((record) => record['msg'] === 'tributary.sink_error');
      assert.deepEqual(errors.map((record) => record['sink']).sort(), ['first', 'second']);
      assert.ok(first.attempts <= 2 && second.attempts <= 2, `bounded attempts: ${first.attempts}, ${second.attempts}`);
    });

    t.test('drainSync (what runs at process exit) writes what is queued and the loss count, even behind a pending write', async () => {
      const gate = stallingSink();
      const handed: LogEntry[] = [];
      const synced: LogEntry[] = [];
      const sink: Sink = {
        ...gate,
        name: 'stuck-async',
        write: (batch) => {
          handed.push(...batch);
          return gate.write(batch);
        },
        writeSync: (batch) => {
          synced.push(...batch);
        },
      };
      const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: 3_000 }], drainOnExit: false, stopTimeout: 100, onReport: () => {} });
      const logger = listener.logger();
      for (let index = 0; index < 50; index++) logger.info('first', { index });
      await waitFor(() => handed.length > 0, 'the first write to start');
      for (let index = 0; index < 200; index++) logger.info('second', { index });
      listener.drainSync();
      const isUser = (entry: LogEntry): boolean => entry.record.msg === 'first' || entry.record.msg === 'second';
      const isNotice = (entry: LogEntry): boolean => entry.record.msg === 'tributary.dropped';
      assert.equal(synced.filter(isNotice).length, 1);
      assert.ok(synced[0] !== undefined && isNotice(synced[0]), 'the loss is reported first');
      const dropped = [...handed, ...synced].filter(isNotice).reduce((sum, entry) => sum + Number(entry.record['dropped']), 0);
      assert.ok(Number(synced[0]?.record['dropped']) > 0);
      assert.equal(handed.filter(isUser).length + synced.filter(isUser).length + dropped, 250);
      await listener.stop();
      gate.release();
    });

    t.test('drainSync with nothing queued still calls writeSync once, with an empty batch (the sink writes what it holds)', async () => {
      const sink = memorySink();
      const syncBatches: number[] = [];
      const holding: Sink = { ...sink, name: 'holding', write: (batch) => sink.write(batch), writeSync: (batch) => void syncBatches.push(batch.length) };
      const listener = new QueueListener({ sinks: [holding], drainOnExit: false, onReport: () => {} });
      listener.logger().info('handed over');
      await listener.flush();
      listener.drainSync();
      assert.deepEqual(syncBatches, [0]);
      await listener.stop();
      listener.drainSync();
      assert.deepEqual(syncBatches, [0], 'not after stop: the sink is closed');
    });

    t.test('a sink whose write, flush and close never settle: stop() resolves after stopTimeout and counts its records as failed', async () => {
      const never = new Promise<void>(() => {});
      const handed: LogEntry[] = [];
      const hanging: Sink = {
        name: 'hanging',
        write: (batch) => {
          handed.push(...batch);
          return never;
        },
        flush: () => never,
        close: () => never,
        [Symbol.asyncDispose]: () => never,
      };
      const healthy = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [hanging, healthy], drainOnExit: false, stopTimeout: 300, onReport: (report) => reports.push(report) });
      const logger = listener.logger();
      for (let index = 0; index < 100; index++) logger.info('r', { index });
      await waitFor(() => handed.length > 0, 'the first write to start');
      for (let index = 100; index < 150; index++) logger.info('r', { index });
      const summary = await listener.stop();
      assert.equal(summary.timedOut, true);
      assert.equal(summary.complete, false);
      const [stuck, fine] = summary.sinks;
      assert.equal(stuck?.written, 0);
      assert.equal(stuck?.pending, 0);
      assert.equal(stuck?.writing, 0);
      assert.equal(stuck?.failed, 150, 'every record the hanging sink never wrote is counted as failed');
      assert.equal(summary.failed, 150);
      assert.equal(fine?.written, 150);
      assert.equal(healthy.lines().length, 150);
      assert.ok(reports.some((report) => /gave up 150 records sink hanging/.test(report.message)));
    });

    t.test('summary: complete only when every record reached every sink', async () => {
      const good = new QueueListener({ sinks: [memorySink()], drainOnExit: false, onReport: () => {} });
      good.logger().info('one');
      const goodSummary = await good.stop();
      assert.deepEqual(
        { ...goodSummary, sinks: undefined },
        {
          received: 1,
          suppressed: 0,
          lost: 0,
          dropped: 0,
          failed: 0,
          sinks: undefined,
          producers: [{ producer: 'main', received: 1, lost: 0, dropped: 0 }],
          lostUnknown: 0,
          timedOut: false,
          complete: true,
        },
      );
      const failing = new QueueListener({ sinks: [failingSink(), memorySink()], drainOnExit: false, onReport: () => {} });
      failing.logger().info('one');
      const failingSummary = await failing.stop();
      assert.equal(failingSummary.failed, 1);
      assert.equal(failingSummary.complete, false);
    });

    t.test("summary: drops a producer's full queue reported count as dropped for that producer, and complete is false", async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: () => {} });
      const logger = listener.logger({ producer: 'busy', maxQueuedChars: 4_096 });
      for (let index = 0; index < 2_000; index++) logger.info('r', { index });
      const summary = await listener.stop();
      const check = checkOutput(sink.lines());
      const notices = check.notices.get('tributary.dropped') ?? [];
      const reported = notices.reduce((sum, notice) => sum + Number(notice['dropped']), 0);
      const written = check.producers.get('busy')?.count ?? 0;
      assert.ok(reported > 0, 'the producer dropped records');
      assert.equal(written - notices.length + reported, 2_000, 'written + reported drops = logged');
      assert.deepEqual(summary.producers, [{ producer: 'busy', received: written, lost: 0, dropped: reported }]);
      assert.equal(summary.dropped, reported);
      assert.equal(summary.complete, false);
    });

    t.test('bad listener and handler options throw clear errors at configuration time', () => {
      assert.throws(() => new QueueListener({ sinks: [], onReport: 'console' as never }), /onReport must be a function/);
      assert.throws(() => new QueueListener({ sinks: [], stopTimeout: 0 }), /stopTimeout must be an integer ≥ 1; got 0/);
      assert.throws(() => new QueueHandler(recordingProducerEndpoint(), { producer: 'p', fallback: 'stderr' as never }), /fallback must be a function/);
      assert.throws(() => new QueueHandler(recordingProducerEndpoint(), { producer: 'p', maxQueuedChars: 0 }), /maxQueuedChars must be an integer ≥ 1/);
    });

    t.test("a failing sink's lost records are reported to it once it works again", async () => {
      const flaky = flakySink(2);
      const listener = new QueueListener({ sinks: [flaky], drainOnExit: false, onReport: () => {} });
      const logger = listener.logger();
      logger.info('lost 1');
      await listener.flush();
      logger.info('lost 2');
      logger.info('lost 3');
      await listener.flush();
      logger.info('kept');
      await listener.flush();
      const summary = await listener.stop();
      const records = parsed(flaky);
      assert.deepEqual(
        records.map((record) => record['msg']),
        ['tributary.dropped', 'kept'],
      );
      assert.equal(records[0]?.['dropped'], 3);
      assert.equal(records[0]?.['writeFailed'], 3);
      assert.equal(records[0]?.['sink'], 'flaky');
      assert.equal(summary.sinks[0]?.failed, 3);
      assert.equal(summary.sinks[0]?.written, 2);
    });

    t.test("a sink's own bounded queue drops beyond maxPendingBytes and reports the exact count", async () => {
      const stalled = stallingSink();
      const handed: LogEntry[] = [];
      const counting: Sink = {
        ...stalled,
        write: (batch) => {
          handed.push(...batch);
          return stalled.write(batch);
        },
      };
      const healthy = memorySink();
      const listener = new QueueListener({
        sinks: [{ sink: counting, maxPendingBytes: 2_000 }, healthy],
        drainOnExit: false,
        stopTimeout: 200,
        onReport: () => {},
      });
      const logger = listener.logger();
      for (let index = 0; index < 200; index++) logger.info('r', { index });
      await waitFor(() => healthy.lines().length >= 200, 'the healthy sink');
      const stats = listener.stats.sinks[0];
      assert.ok(stats !== undefined && stats.dropped > 0);
      const inStalledWrite = handed.filter((entry) => entry.record.msg === 'r').length;
      assert.equal(stats.dropped + stats.pending + inStalledWrite, 200, 'dropped + pending + in the stalled write = logged');
      assert.equal(stats.writing, inStalledWrite, 'writing counts the records in the stalled write');
      // The one batch arrived at once, so the drops were known when the first write began.
      const notice = handed.find((entry) => entry.record.msg === 'tributary.dropped');
      assert.equal(notice?.record['dropped'], stats.dropped);
      await listener.stop();
      stalled.release();
      await waitFor(() => stalled.writes >= 2 || listener.stats.sinks[0]?.pending === 0, 'the released sink');
    });

    t.test('a sink that reports undelivered records through context.dropped before close() resolves has them counted and reported', async () => {
      const accepting = memorySink('remote');
      let context: SinkContext | undefined;
      const remote: Sink = {
        ...accepting,
        open: (given) => {
          context = given;
        },
        close: async () => {
          context?.dropped(3, 'the collector stayed unreachable');
          await accepting.close();
        },
      };
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [remote, memorySink()], drainOnExit: false, onReport: (report) => reports.push(report) });
      assert.ok(context !== undefined, 'the listener opens the sink with its context at once');
      const logger = listener.logger();
      for (let index = 0; index < 3; index++) logger.info('r', { index });
      const summary = await listener.stop();
      assert.deepEqual([summary.sinks[0]?.written, summary.sinks[0]?.dropped, summary.sinks[0]?.failed], [3, 3, 0]);
      assert.equal(summary.dropped, 3);
      assert.equal(summary.complete, false);
      assert.ok(reports.some((report) => /sink remote dropped 3 records: the collector stayed unreachable/.test(report.message)));
    });

    t.test('records a sink drops while running reach the other sinks as one tributary.dropped record', async () => {
      const accepting = memorySink('remote');
      let context: SinkContext | undefined;
      const remote: Sink = {
        ...accepting,
        open: (given) => {
          context = given;
        },
        write: (batch) => {
          context?.dropped(batch.length, 'the collector stayed unreachable');
        },
      };
      const neighbour = memorySink('neighbour');
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [remote, neighbour], drainOnExit: false, onReport: (report) => reports.push(report) });
      const logger = listener.logger();
      for (let index = 0; index < 3; index++) logger.info('r', { index });
      assert.equal(await listener.flush(), true);
      const summary = await listener.stop();
      assert.deepEqual([summary.sinks[0]?.written, summary.sinks[0]?.dropped, summary.sinks[0]?.failed], [3, 3, 0]);
      assert.ok(reports.some((report) => /sink remote dropped 3 records/.test(report.message)));
      const notice = neighbour.entries.find((entry) => entry.record.msg === 'tributary.dropped');
      assert.deepEqual([notice?.record['dropped'], notice?.record['sink'], notice?.record['reason']], [3, 'remote', 'the collector stayed unreachable']);
    });

    t.test('context.failed counts the records in failed and reports a sink_error; context.notice reaches the other sinks', async () => {
      let context: SinkContext | undefined;
      const inner = memorySink('remote');
      const remote: Sink = {
        ...inner,
        open: (given) => {
          context = given;
        },
        write: (batch) => {
          inner.write(batch);
          context?.failed(new Error('collector said 503'), 2);
          context?.notice('warn', 'tributary.reconnected', 'reconnected to the collector', { afterMs: 1500 });
        },
      };
      const neighbour = memorySink('neighbour');
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [remote, neighbour], drainOnExit: false, onReport: (report) => reports.push(report) });
      listener.logger().info('one');
      assert.equal(await listener.flush(), true);
      const summary = await listener.stop();
      assert.deepEqual([summary.sinks[0]?.written, summary.sinks[0]?.failed], [1, 2]);
      assert.equal(summary.failed, 2);
      assert.ok(reports.some((report) => /sink remote failed to deliver 2 records: .*collector said 503/.test(report.message)));
      const error = neighbour.entries.find((entry) => entry.record.msg === 'tributary.sink_error');
      assert.deepEqual([error?.record['sink'], error?.record['records'], error?.record['operation']], ['remote', 2, 'deliver']);
      const reconnected = neighbour.entries.find((entry) => entry.record.msg === 'reconnected to the collector');
      assert.deepEqual(
        [reconnected?.record.level, reconnected?.record.logger, reconnected?.record['event'], reconnected?.record['sink'], reconnected?.record['afterMs']],
        ['warn', 'tributary', 'tributary.reconnected', 'remote', 1500],
      );
      assert.equal(inner.entries.filter((entry) => entry.record.logger === 'tributary').length, 0, 'a sink does not get its own reports back');
    });
  });
}
