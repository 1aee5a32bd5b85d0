import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import type { QueueListenerOptions, ThrottleOptions } from '@tributary/core';
import { memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

type Row = Record<string, unknown>;

/** A listener with a throttle, a memory sink and a clock the test moves by hand. */
function setup(throttle: ThrottleOptions, extra: Partial<QueueListenerOptions> = {}) {
  const clock = { now: 1_000_000 };
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false, throttle, now: () => clock.now, ...extra });
  const rows = (): Row[] => sink.lines().map((line) => JSON.parse(line) as Row);
  /** `msg` of each record, with the count for a suppressed notice: `['a', 'a', 'suppressed 3']`. */
  const shown = (): string[] =>
    rows().map((row) =>
      row['event'] === 'tributary.suppressed' ? `suppressed ${String(row['suppressed'])} of ${String(row['suppressedMsg'])}` : String(row['msg']),
    );
  return { clock, sink, listener, rows, shown, logger: listener.logger({ name: 'app', level: 'trace' }) };
}

/** Throttling with exact counts: at most N similar records per interval, then one record with the exact count of the rest. */
export default function suite(t: TestApi): void {
  t.describe('throttle', () => {
    t.test('at most limit records per key per interval; the next interval starts with the exact count of the rest', async () => {
      const { clock, listener, logger, rows, shown } = setup({ limit: 3, intervalMs: 1_000 });
      for (let index = 0; index < 10; index++) logger.warn('disk full', { index });
      assert.equal(await listener.flush(), true);
      const flushed = shown();
      assert.deepEqual(flushed, ['disk full', 'disk full', 'disk full', 'suppressed 7 of disk full'], 'flush writes the count so far');
      for (let index = 10; index < 15; index++) logger.warn('disk full', { index }); // same interval: all held
      assert.equal(await listener.flush(), true); // intervals are measured when records reach the listener
      clock.now += 1_000;
      logger.warn('disk full', { index: 15 }); // a new interval: its count first, then the record
      const summary = await listener.stop();
      assert.deepEqual(shown().slice(4), ['suppressed 5 of disk full', 'disk full']);
      const passed = rows().filter((row) => row['msg'] === 'disk full');
      assert.deepEqual(
        passed.map((row) => row['index']),
        [0, 1, 2, 15],
      );
      const notice = rows()[3];
      assert.equal(notice?.['msg'], 'suppressed 7 similar records');
      assert.equal(notice?.['level'], 'warn', 'the notice has the level of what it counts');
      assert.equal(notice?.['logger'], 'tributary');
      assert.equal(notice?.['suppressedLogger'], 'app');
      assert.equal(notice?.['limit'], 3);
      assert.equal(notice?.['intervalMs'], 1_000);
      assert.equal(summary.suppressed, 12);
      assert.equal(summary.received, 16);
      assert.equal(summary.complete, true, 'suppressed records are counted, not lost');
    });

    t.test('keys are independent: level, logger and message by default', async () => {
      const { listener, logger, shown } = setup({ limit: 1, intervalMs: 60_000 });
      const db = logger.child('db');
      for (let index = 0; index < 3; index++) {
        logger.info('a');
        logger.info('b');
        logger.warn('a');
        db.info('a');
      }
      await listener.stop();
      assert.deepEqual(shown().slice(0, 4), ['a', 'b', 'a', 'a']);
      assert.deepEqual(shown().slice(4).sort(), ['suppressed 2 of a', 'suppressed 2 of a', 'suppressed 2 of a', 'suppressed 2 of b']);
    });

    t.test('stop() writes what is still held, with the exact count; nothing is dropped silently', async () => {
      const { listener, logger, shown } = setup({ limit: 2, intervalMs: 60_000 });
      for (let index = 0; index < 1_000; index++) logger.error('boom');
      const summary = await listener.stop();
      assert.deepEqual(shown(), ['boom', 'boom', 'suppressed 998 of boom']);
      assert.equal(summary.suppressed, 998);
    });

    t.test('a flush reports the count so far; the interval goes on holding, and the next report counts only the new ones', async () => {
      const { listener, logger, shown } = setup({ limit: 1, intervalMs: 60_000 });
      logger.info('x');
      logger.info('x');
      logger.info('x');
      assert.equal(await listener.flush(), true);
      assert.equal(await listener.flush(), true); // nothing new: no second notice
      logger.info('x');
      await listener.stop();
      assert.deepEqual(shown(), ['x', 'suppressed 2 of x', 'suppressed 1 of x']);
    });

    t.test('a key function chooses what is similar', async () => {
      const { listener, logger, shown } = setup({ limit: 1, intervalMs: 60_000, key: (entry) => String(entry.record['user']) });
      logger.info('one', { user: 'ada' });
      logger.info('two', { user: 'ada' });
      logger.info('three', { user: 'bob' });
      await listener.stop();
      assert.deepEqual(shown(), ['one', 'three', 'suppressed 1 of two']);
    });

    t.test('a key function that throws lets the record pass', async () => {
      const { listener, logger, shown } = setup({
        limit: 1,
        intervalMs: 60_000,
        key: () => {
          throw new Error('no key');
        },
      });
      logger.info('a');
      logger.info('a');
      await listener.stop();
      assert.deepEqual(shown(), ['a', 'a']);
    });

    t.test('when the interval ends without a new record, a timer writes the count', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false, throttle: { limit: 1, intervalMs: 20 } });
      const logger = listener.logger();
      for (let index = 0; index < 5; index++) logger.info('tick');
      await waitFor(() => sink.lines().some((line) => line.includes('"suppressed":4')), 'the timer to report the held records');
      const summary = await listener.stop();
      assert.equal(summary.suppressed, 4);
      assert.equal(sink.lines().filter((line) => line.includes('tributary.suppressed')).length, 1);
    });

    t.test('bad options throw at configuration time', () => {
      const make = (throttle: unknown) => () =>
        new QueueListener({ sinks: [], throttle: throttle as ThrottleOptions, drainOnExit: false, drainOnSignals: false });
      assert.throws(make({ limit: 0 }), /QueueListener: throttle\.limit must be an integer ≥ 1; got 0/);
      assert.throws(make({}), /throttle\.limit must be an integer ≥ 1; got undefined/);
      assert.throws(make({ limit: 1, intervalMs: 0 }), /throttle\.intervalMs must be an integer ≥ 1; got 0/);
      assert.throws(make({ limit: 1, key: 'msg' }), /throttle\.key must be a function; got "msg"/);
      assert.throws(make('yes'), /QueueListener: throttle must be an object; got "yes"/);
    });
  });
}
