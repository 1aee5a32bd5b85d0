import assert from 'node:assert/strict';
import { DEFAULT_STOP_TIMEOUT, politeStop, resolveStopTimeout } from '@tributary/core/adapter';
import type { TestApi } from '@tributary/core/testing';

/** A producer that ends when told to, or never; counts what was asked of it. */
function fakeProducer(endsWhenAsked: boolean, timeout: number) {
  let end: (how: string) => void = () => {};
  let ended = false;
  const exited = new Promise<string>((resolve) => {
    end = (how) => {
      if (ended) return;
      ended = true;
      resolve(how);
    };
  });
  const calls = { asked: 0, terminated: 0 };
  const stop = politeStop(
    exited,
    () => ended,
    () => {
      calls.asked += 1;
      if (endsWhenAsked) setTimeout(() => end('stopped'), 5);
    },
    () => {
      calls.terminated += 1;
      end('terminated');
      return exited;
    },
    timeout,
  );
  return { stop, calls, end };
}

/** The adapters' shared stop(): ask, wait up to the timeout, then terminate; the option checked once for all. */
export default function suite(t: TestApi): void {
  t.describe('politeStop and resolveStopTimeout', () => {
    t.test('a producer that ends when asked is not terminated; every call resolves alike and asks once', async () => {
      const producer = fakeProducer(true, 60_000);
      const first = producer.stop();
      assert.equal(producer.stop(), first, 'the same promise');
      assert.equal(await first, 'stopped');
      assert.deepEqual(producer.calls, { asked: 1, terminated: 0 });
    });

    t.test('a producer that does not end is terminated once the timeout has passed', async () => {
      const producer = fakeProducer(false, 50);
      assert.equal(await producer.stop(), 'terminated');
      assert.deepEqual(producer.calls, { asked: 1, terminated: 1 });
    });

    t.test('stopping a producer that already ended asks nothing and resolves with how it ended', async () => {
      const producer = fakeProducer(true, 60_000);
      producer.end('exited');
      assert.equal(await producer.stop(), 'exited');
      assert.deepEqual(producer.calls, { asked: 0, terminated: 0 });
    });

    t.test('resolveStopTimeout: 5,000 ms by default, whole milliseconds ≥ 1, anything else a RangeError', () => {
      assert.equal(DEFAULT_STOP_TIMEOUT, 5_000);
      assert.equal(resolveStopTimeout(undefined), 5_000);
      assert.equal(resolveStopTimeout(1), 1);
      for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '100', null]) {
        assert.throws(
          () => resolveStopTimeout(bad),
          (error: unknown) => error instanceof RangeError && /stopTimeout must be an integer ≥ 1/.test(error.message),
          String(bad),
        );
      }
    });
  });
}
