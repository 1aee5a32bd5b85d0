import assert from 'node:assert/strict';
import type { AcceptWorkersOptions, AcceptedExit, AcceptedWorkers } from '../adapter/accept-workers.ts';
import type { ProducerExitReason } from '../adapter/connected-producer.ts';
import { QueueListener } from '../queue/listener.ts';
import { waitFor } from './test-api.ts';
import type { TestApi } from './test-api.ts';
import { memorySink } from './test-sinks.ts';
import type { MemorySink } from './test-sinks.ts';
import { checkOutput } from './verify.ts';
import type { ExitFixtureMode } from './worker-fixture.ts';

/** What a worker adapter hands the accept conformance suite: its `acceptWorkers()` and its runtime's ways. */
export interface AcceptConformanceAdapter<W> {
  /** The adapter's package, for test names. */
  readonly name: string;
  /** False on a runtime the adapter refuses: then only that `accept()` throws is checked. */
  readonly supported: boolean;
  /** The adapter's `acceptWorkers(listener, options)`. */
  accept(listener: QueueListener, options?: AcceptWorkersOptions): AcceptedWorkers;
  /** Makes a worker running the exit fixture with the runtime's own API, never handed to the adapter (as a pool does). */
  create(): W;
  /** Posts a message to the worker. */
  post(worker: W, message: unknown): void;
  /** Receives the worker's messages. */
  onMessage(worker: W, receiver: (data: unknown) => void): void;
  /** Keeps a worker's uncaught error from failing the parent. */
  ignoreErrors(worker: W): void;
  /** Ends the worker with the runtime's own `terminate()`; resolves once it ended where the runtime tells (Node, Bun). */
  terminate(worker: W): Promise<void> | void;
  /** How an uncaught error is reported: `crashed` where the runtime tells errors (Node, Bun), `terminated` where it does not (Deno). */
  readonly crashReason: ProducerExitReason;
  /** How a worker ended by the runtime's `terminate()` may read: `terminated`, or `ended` where the runtime may still run the worker's exit hook, which says goodbye (Bun). */
  readonly terminateReasons: readonly ProducerExitReason[];
  /** True when a worker created before `acceptWorkers()` is taken too (Deno: any worker of the process); false where only later ones are (Node, Bun). */
  readonly takesEarlierWorkers: boolean;
  /**
   * Checks each case's whole output once more, your own way (for instance with the `tributary verify`
   * CLI): called with every line the listener wrote and the records found per worker producer, after
   * the suite's own checks passed. Throw to fail the case. Default: none.
   */
  readonly verifyOutput?: (lines: readonly string[], recordsByProducer: Readonly<Record<string, number>>) => void;
}

const RECORDS = 2_000;

interface Accepting {
  readonly memory: MemorySink;
  readonly listener: QueueListener;
  readonly acceptor: AcceptedWorkers;
  readonly exits: AcceptedExit[];
}

function accepting<W>(adapter: AcceptConformanceAdapter<W>): Accepting {
  const memory = memorySink();
  const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
  const exits: AcceptedExit[] = [];
  const acceptor = adapter.accept(listener, { onExit: (exit) => exits.push(exit) });
  return { memory, listener, acceptor, exits };
}

/** Resolves with the first message from `worker` that has `key`. */
function nextMessage<W>(adapter: AcceptConformanceAdapter<W>, worker: W, key: string): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let done = false;
    adapter.onMessage(worker, (data) => {
      if (done || typeof data !== 'object' || data === null || !(key in data)) return;
      done = true;
      resolve(data as Record<string, unknown>);
    });
  });
}

/** Starts a fixture worker and waits until it is ready for commands. */
async function created<W>(adapter: AcceptConformanceAdapter<W>): Promise<W> {
  const worker = adapter.create();
  const ready = nextMessage(adapter, worker, 'ready');
  await ready;
  return worker;
}

/** Tells a ready worker to log `records` records and end as `mode` says; resolves once it reported (`report`) or at once. */
async function run<W>(adapter: AcceptConformanceAdapter<W>, worker: W, mode: ExitFixtureMode, records: number): Promise<void> {
  const logged = mode === 'report' ? nextMessage(adapter, worker, 'logged') : Promise.resolve({});
  adapter.post(worker, { mode, records });
  await logged;
}

/** The records each exit fixture producer wrote, by producer, checked for holes, duplicates and order. */
function producersOf<W>(memory: MemorySink, adapter: AcceptConformanceAdapter<W>): Map<string, number> {
  const check = checkOutput(memory.lines());
  assert.equal(check.torn, 0);
  const counts = new Map<string, number>();
  for (const [producer, stats] of check.producers) {
    if (producer === 'listener') continue;
    assert.deepEqual(
      { producer, missing: stats.missing, duplicated: stats.duplicated, outOfOrder: stats.outOfOrder },
      { producer, missing: 0, duplicated: 0, outOfOrder: 0 },
    );
    counts.set(producer, stats.count);
  }
  adapter.verifyOutput?.(memory.lines(), Object.fromEntries(counts));
  return counts;
}

function exitNotices(memory: MemorySink): Record<string, unknown>[] {
  return [...(checkOutput(memory.lines()).notices.get('tributary.producer_exited') ?? [])];
}

/**
 * The contract of every worker adapter's `acceptWorkers()`: workers the application (or a pool)
 * created itself and never handed to the adapter log through a ring of their own, every record
 * once and in order, through many tasks; their end is heard (without the Worker object reaching the
 * adapter) and reported with their last sequence number; what they wrote before they died arrives.
 */
export function runAcceptConformance<W>(t: TestApi, adapter: AcceptConformanceAdapter<W>): void {
  t.describe(`${adapter.name} acceptWorkers()`, () => {
    if (!adapter.supported) {
      t.test('refuses on this runtime with a clear error', () => {
        assert.throws(() => adapter.accept(new QueueListener({ sinks: [], onReport: () => {} })), /needs|runtime/);
      });
      return;
    }

    t.test('bad options fail at configuration time', () => {
      const listener = new QueueListener({ sinks: [], onReport: () => {} });
      assert.throws(() => adapter.accept(listener, { waitTimeout: -1 }), RangeError);
      assert.throws(() => adapter.accept(listener, { onExit: 'no' as never }), TypeError);
    });

    t.test(
      `3 workers never handed to the adapter, two tasks each of ${RECORDS} records, while the main thread logs: every record once, in order, one producer per worker; terminate() is reported with the last sequence number`,
      async () => {
        const { memory, listener, acceptor, exits } = accepting(adapter);
        const main = listener.logger({ name: 'main' });
        const workers = await Promise.all([0, 1, 2].map(() => created(adapter)));
        for (let task = 0; task < 2; task++) {
          await Promise.all(workers.map((worker) => run(adapter, worker, 'report', RECORDS)));
          for (let n = 0; n < 100; n++) main.info('main record', { task, n });
        }
        for (const worker of workers) adapter.terminate(worker);
        await waitFor(() => exits.length === workers.length, 'the acceptor heard every worker end');
        acceptor.close();
        await listener.stop();
        const counts = producersOf(memory, adapter);
        const workerProducers = [...counts.keys()].filter((producer) => producer !== 'listener-main' && counts.get(producer) === 2 * RECORDS);
        assert.equal(workerProducers.length, workers.length, `one producer per worker, each with all its records: ${JSON.stringify([...counts])}`);
        for (const exit of exits) {
          assert.ok(adapter.terminateReasons.includes(exit.reason), `terminate() read as ${exit.reason}`);
          assert.equal(exit.lastSeq, 2 * RECORDS);
          assert.ok(workerProducers.includes(exit.producer), `exit of ${exit.producer} names a producer that logged`);
        }
        const terminated = exits
          .filter((exit) => exit.reason === 'terminated')
          .map((exit) => exit.producer)
          .sort();
        const notices = exitNotices(memory);
        assert.deepEqual(notices.map((notice) => String(notice['exitedProducer'])).sort(), terminated, 'one exit record per termination');
        for (const notice of notices) assert.equal(notice['lastSeq'], 2 * RECORDS);
      },
    );

    t.test('a worker that ends itself right after logging: every record arrives, ended, no exit record', async () => {
      const { memory, listener, acceptor, exits } = accepting(adapter);
      const worker = await created(adapter);
      await run(adapter, worker, 'end', RECORDS);
      await waitFor(() => exits.length === 1, 'the acceptor heard the worker end');
      acceptor.close();
      await listener.stop();
      assert.deepEqual([...producersOf(memory, adapter).values()], [RECORDS]);
      assert.equal(exits[0]?.reason, 'ended');
      assert.equal(exits[0]?.lastSeq, RECORDS);
      assert.deepEqual(exitNotices(memory), []);
    });

    t.test(`an uncaught error right after logging: every record arrives, reported as ${adapter.crashReason}`, async () => {
      const { memory, listener, acceptor, exits } = accepting(adapter);
      const worker = await created(adapter);
      adapter.ignoreErrors(worker);
      await run(adapter, worker, 'throw', RECORDS);
      // Deno cannot tell a crash: its worker lives on after the error until it is terminated. It is
      // terminated once what it logged arrived (terminated at once, it might not have run the command).
      if (adapter.crashReason === 'terminated') {
        const arrived = (): number =>
          [...checkOutput(memory.lines()).producers].reduce((sum, [producer, stats]) => (producer === 'listener' ? sum : sum + stats.count), 0);
        await waitFor(() => arrived() === RECORDS, 'the records logged before the error to arrive');
        await adapter.terminate(worker);
      }
      await waitFor(() => exits.length === 1, 'the acceptor heard the worker end');
      acceptor.close();
      await listener.stop();
      assert.deepEqual([...producersOf(memory, adapter).values()], [RECORDS]);
      assert.equal(exits[0]?.reason, adapter.crashReason);
      assert.deepEqual(
        exitNotices(memory).map((notice) => [notice['exitReason'], notice['lastSeq']]),
        [[adapter.crashReason, RECORDS]],
      );
    });

    t.test(
      adapter.takesEarlierWorkers
        ? 'a worker that logged before acceptWorkers() was called is taken with all its records'
        : 'a worker created before acceptWorkers() is not taken (its records stay in its own buffer)',
      async () => {
        const worker = await created(adapter);
        await run(adapter, worker, 'report', 100);
        const { memory, listener, acceptor, exits } = accepting(adapter);
        await run(adapter, worker, 'report', 100);
        await adapter.terminate(worker);
        if (adapter.takesEarlierWorkers) await waitFor(() => exits.length === 1, 'the acceptor heard the worker end');
        acceptor.close();
        await listener.stop();
        assert.deepEqual([...producersOf(memory, adapter).values()], adapter.takesEarlierWorkers ? [200] : []);
      },
    );

    t.test('after close(), a new worker is not taken; one taken before still reports its records and its end', async () => {
      const { memory, listener, acceptor, exits } = accepting(adapter);
      const before = await created(adapter);
      await run(adapter, before, 'report', 100);
      acceptor.close();
      await run(adapter, before, 'report', 100);
      adapter.terminate(before);
      await waitFor(() => exits.length === 1, 'the acceptor heard the earlier worker end');
      if (!adapter.takesEarlierWorkers) {
        // (Where any worker of the process may be taken, a later acceptor of another test could take it.)
        const after = await created(adapter);
        await run(adapter, after, 'report', 100);
        await adapter.terminate(after);
      }
      await listener.stop();
      assert.deepEqual([...producersOf(memory, adapter).values()], [200]);
      assert.equal(exits.length, 1);
    });
  });
}
