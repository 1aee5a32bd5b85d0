import assert from 'node:assert/strict';
import { Logger, QueueListener } from '@tributary/core';
import type { ListenerReport } from '@tributary/core';
import { QueueHandler } from '@tributary/core/adapter';
import { memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { recordingProducerEndpoint } from './queue-fixtures.ts';

/** Records logged after stop() are not written: never a throw, always counted and reported. */
export default function suite(t: TestApi): void {
  t.describe('logging after stop()', () => {
    t.test("a listener's logger after stop(): no throw, flush() is false, one report with the count", async () => {
      const sink = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: (report) => reports.push(report) });
      const log = listener.logger({ name: 'app' });
      log.info('before 1');
      log.info('before 2');
      await listener.stop();
      assert.doesNotThrow(() => {
        log.info('after 1');
        log.info('after 2');
        log.error('after 3');
      });
      assert.equal(await log.flush(), false);
      await waitFor(() => reports.length > 0, 'the report about records logged after stop()');
      assert.deepEqual(
        reports.map((report) => report.message),
        ['3 records logged after listener.stop() were not written'],
      );
      assert.equal(reports[0]?.kind, 'producer');
      assert.deepEqual(
        sink.lines().map((line) => (JSON.parse(line) as Record<string, unknown>)['msg']),
        ['before 1', 'before 2'],
      );
    });

    t.test('a closed handler counts every later record and reports at most once a second with the running count', async () => {
      const messages: string[] = [];
      const handler = new QueueHandler(recordingProducerEndpoint(), { producer: 'p', reportAfterClose: (message) => messages.push(message) });
      const log = new Logger(handler, 'x', 'info');
      handler.closeNow();
      log.info('a');
      await waitFor(() => messages.length === 1, 'the first report');
      assert.equal(messages[0], '1 record logged after listener.stop() were not written');
      log.info('b');
      log.info('c');
      assert.equal(handler.stats.loggedAfterClose, 3);
      assert.equal(handler.stats.undeliverable, 3);
      await waitFor(() => messages.length === 2, 'the second, rate-limited report', 10_000);
      assert.equal(messages[1], '3 records logged after listener.stop() were not written');
      assert.equal(messages.length, 2, 'one report for the later burst');
    });

    t.test('a reporter that throws does not make a log call throw', async () => {
      let calls = 0;
      const handler = new QueueHandler(recordingProducerEndpoint(), {
        producer: 'p',
        reportAfterClose: () => {
          calls += 1;
          throw new Error('reporter broke');
        },
      });
      const log = new Logger(handler, 'x', 'info');
      handler.closeNow();
      assert.doesNotThrow(() => log.info('after'));
      await waitFor(() => calls === 1, 'the reporter call');
      assert.equal(handler.stats.loggedAfterClose, 1);
    });

    t.test('a reportAfterClose that is not a function is refused at configuration time', () => {
      assert.throws(
        () => new QueueHandler(recordingProducerEndpoint(), { producer: 'p', reportAfterClose: 'stderr' as unknown as () => void }),
        /reportAfterClose must be a function/,
      );
    });
  });
}
