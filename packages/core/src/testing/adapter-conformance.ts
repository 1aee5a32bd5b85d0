import assert from 'node:assert/strict';
import type { ConnectedProducer } from '../adapter/connected-producer.ts';
import type { ListenerReport } from '../queue/listener-options.ts';
import { QueueListener } from '../queue/listener.ts';
import type { Batch } from '../batch.ts';
import type { LogEntry } from '../record.ts';
import type { Sink } from '../sink.ts';
import { bigText } from './adapter-script.ts';
import type { ProducerScript } from './adapter-script.ts';
import type { AdapterConformanceOptions, AdapterHarness, AdapterProducer } from './adapter-harness.ts';
import { waitFor } from './test-api.ts';
import type { TestApi } from './test-api.ts';
import { memorySink, stallingSink } from './test-sinks.ts';
import type { MemorySink } from './test-sinks.ts';
import { checkOutput } from './verify.ts';

/** How long a producer may wait for room in these tests unless a test sets its own timeout (ms). */
const PATIENT_WAIT_TIMEOUT = 30_000;

interface Run {
  readonly listener: QueueListener;
  readonly memory: MemorySink;
  readonly harness: AdapterHarness;
  readonly reports: ListenerReport[];
  readonly started: AdapterProducer[];
  start(script: ProducerScript, producer: string): Promise<AdapterProducer>;
}

/**
 * The contract every adapter keeps, as tests: N producers × M records arrive exactly once in
 * per-producer order while the main thread logs too; ending right after logging (exit, uncaught
 * exception, a 1 MiB record) loses nothing; killed producers lose nothing that returned (durable
 * channels); `stop()` drains; producers never hang when the listener is gone; a stalled sink keeps
 * memory bounded and counts its drops exactly; a producer logging in a loop that never yields loses
 * nothing. Call it once per adapter inside a test file:
 * `runAdapterConformance({ describe, test }, {...})`.
 */
export function runAdapterConformance(t: TestApi, options: AdapterConformanceOptions): void {
  const producers = options.producers ?? 4;
  const records = options.records ?? 5_000;
  const tightLoopRecords = options.tightLoopRecords ?? 250_000;
  const big = options.bigRecord ?? 1024 * 1024;
  const timeout = options.timeout ?? 120_000;
  const durable = options.capabilities.durable;
  const safeExit = options.capabilities.safeExit ?? true;
  const ids = (count: number, prefix: string): string[] => Array.from({ length: count }, (_, index) => `${prefix}${index + 1}`);

  const withRun = async (
    sinks: (memory: MemorySink) => (Sink | { sink: Sink; maxPendingBytes?: number })[],
    body: (run: Run) => Promise<void>,
  ): Promise<void> => {
    const memory = memorySink();
    const reports: ListenerReport[] = [];
    const listener = new QueueListener({ sinks: sinks(memory), onReport: (report) => reports.push(report), drainOnExit: false });
    const harness = await options.createHarness();
    const started: AdapterProducer[] = [];
    const run: Run = {
      listener,
      memory,
      harness,
      reports,
      started,
      start: async (script, producer) => {
        // These tests check delivery, not the drop policy: on a loaded machine the listener can be
        // starved for longer than an adapter's default wait, so producers wait patiently unless told.
        const patient = script.waitTimeout === undefined ? { ...script, waitTimeout: PATIENT_WAIT_TIMEOUT } : script;
        const handle = await harness.start(listener, patient, producer);
        started.push(handle);
        return handle;
      },
    };
    try {
      await body(run);
    } finally {
      await Promise.all(started.map((handle) => handle.kill().catch(() => {})));
      await listener.stop();
      await harness.cleanup?.();
    }
  };

  const linesOf = (memory: MemorySink, producer: string): number => memory.entries.filter((entry) => producerOf(entry) === producer).length;

  /** Asserts that each producer's records 1…expected are there exactly once, in order, intact. */
  const assertComplete = (memory: MemorySink, names: readonly string[], expected: number, bigLength = 0): void => {
    const check = checkOutput(memory.lines());
    assert.equal(check.torn, 0, 'no torn lines');
    const total = expected + (bigLength > 0 ? 1 : 0);
    for (const name of names) {
      const found = check.producers.get(name);
      assert.ok(found !== undefined, `producer ${name} wrote nothing`);
      assert.deepEqual(
        { count: found.count, maxSeq: found.maxSeq, missing: found.missing, duplicated: found.duplicated, outOfOrder: found.outOfOrder },
        { count: total, maxSeq: total, missing: 0, duplicated: 0, outOfOrder: 0 },
        `producer ${name}: every record once, in order`,
      );
    }
    for (const entry of memory.entries) {
      const producer = producerOf(entry);
      if (!names.includes(producer)) continue;
      const record = entry.record;
      assert.equal(record['n'], record.seq, `producer ${producer}: record ${record.seq} has the content it was logged with`);
      if (record.msg === 'big record') assert.equal(record['big'], bigText(bigLength), `producer ${producer}: the big record arrived whole`);
    }
    const lost = (check.notices.get('tributary.lost') ?? []).filter((notice) => names.includes(String(notice['lostProducer'])));
    assert.deepEqual(lost, [], 'no loss reported');
  };

  t.describe(`adapter conformance: ${options.name}`, () => {
    t.test(
      `${producers} producers × ${records} records while the main thread logs: every record once, in order`,
      () =>
        withRun(
          (memory) => [memory],
          async ({ listener, memory, start }) => {
            const names = ids(producers, 'p');
            const mainLog = listener.logger({ producer: 'main' });
            const handles = await Promise.all(names.map((name) => start({ records, then: 'close' }, name)));
            for (let n = 1; n <= records; n++) {
              mainLog.info(`record ${n}`, { n });
              if (n % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
            }
            await Promise.all(handles.map((handle) => handle.exited));
            await listener.stop();
            assertComplete(memory, [...names, 'main'], records);
          },
        ),
      timeout,
    );

    t.test(
      `a tight loop that never yields: every record arrives (2 producers × ${tightLoopRecords} records)`,
      () =>
        withRun(
          (memory) => [memory],
          async ({ listener, memory, start }) => {
            const names = ids(2, 'loop');
            // The producer script logs every record in one synchronous loop, as the READMEs show.
            const handles = await Promise.all(names.map((name) => start({ records: tightLoopRecords, padding: 0, then: 'close' }, name)));
            await Promise.all(handles.map((handle) => handle.exited));
            await listener.stop();
            assertComplete(memory, names, tightLoopRecords);
            assert.deepEqual(
              memory.entries.filter((entry) => entry.record.msg === 'tributary.dropped'),
              [],
              'nothing dropped',
            );
          },
        ),
      timeout,
    );

    if (safeExit) {
      for (const then of ['exit', 'throw'] as const) {
        const how = then === 'exit' ? 'exits' : 'throws an uncaught exception';
        t.test(
          `a producer that ${how} right after logging (last record ${big} characters) loses nothing`,
          () =>
            withRun(
              (memory) => [memory],
              async ({ listener, memory, start }) => {
                const names = ids(2, then === 'exit' ? 'e' : 't');
                const handles = await Promise.all(names.map((name) => start({ records, bigRecord: big, then }, name)));
                await Promise.all(handles.map((handle) => handle.exited));
                await listener.stop();
                assertComplete(memory, names, records, big);
              },
            ),
          timeout,
        );
      }
    }

    if (durable) {
      t.test(
        'a producer killed right after its log calls returned loses nothing',
        () =>
          withRun(
            (memory) => [memory],
            async ({ listener, memory, start }) => {
              const names = ids(2, 'k');
              const handles = await Promise.all(names.map((name) => start({ records, bigRecord: big, then: 'stay' }, name)));
              await Promise.all(
                handles.map(async (handle) => {
                  await handle.logged;
                  await handle.kill();
                  await handle.exited;
                }),
              );
              await listener.stop();
              assertComplete(memory, names, records, big);
            },
          ),
        timeout,
      );

      t.test(
        'a producer killed mid-stream: every record whose log call returned is written, the rest is reported',
        () =>
          withRun(
            (memory) => [memory],
            async ({ listener, memory, start }) => {
              const names = ids(2, 'm');
              const endless = 50_000_000;
              const handles = await Promise.all(names.map((name) => start({ records: endless, then: 'stay' }, name)));
              await Promise.all(
                handles.map(async (handle) => {
                  await waitFor(() => linesOf(memory, handle.producer) >= 2_000, `2,000 records from ${handle.producer}`, timeout / 2);
                  await handle.kill();
                  await handle.exited;
                }),
              );
              await listener.stop();
              const check = checkOutput(memory.lines());
              assert.equal(check.torn, 0, 'no torn lines');
              for (const name of names) {
                const found = check.producers.get(name);
                assert.ok(found !== undefined && found.count >= 2_000, `producer ${name} wrote at least 2,000 records`);
                assert.deepEqual(
                  { missing: found.missing, duplicated: found.duplicated, outOfOrder: found.outOfOrder, count: found.count },
                  { missing: 0, duplicated: 0, outOfOrder: 0, count: found.maxSeq },
                  `producer ${name}: an unbroken prefix 1…${found.maxSeq}`,
                );
                // At most the one call that was running when the producer died may be reported lost.
                const lost = (check.notices.get('tributary.lost') ?? []).filter((notice) => notice['lostProducer'] === name);
                const lostCount = lost.reduce((sum, notice) => sum + Number(notice['lost']), 0);
                assert.ok(lostCount <= 1, `producer ${name}: at most the interrupted call is lost (reported ${lostCount})`);
                for (const notice of lost) assert.equal(notice['fromSeq'], found.maxSeq + 1, 'the loss report names the records after the last written one');
                const exited = (check.notices.get('tributary.producer_exited') ?? []).filter((notice) => notice['exitedProducer'] === name);
                assert.equal(exited.length, 1, `the listener reported that ${name} went away`);
              }
            },
          ),
        timeout,
      );
    }

    t.test(
      'the connected producer: a normal end and a terminate() resolve exited with the reason and last seq; only the termination is reported',
      () =>
        withRun(
          (memory) => [memory],
          async ({ listener, memory, start }) => {
            const ended = await start({ records: 100, then: 'close' }, 'e1');
            if (ended.connected === undefined) return; // the harness does not hand out its connected producer
            assert.equal(ended.connected.producer, 'e1');
            assert.deepEqual(await ended.connected.exited, { reason: 'ended', ...exitCode(await ended.connected.exited), lastSeq: 100 });
            const terminated = await start({ records: 100, then: 'stay' }, 't1');
            await terminated.logged;
            const exit = await (terminated.connected as ConnectedProducer).terminate();
            assert.equal(exit.reason, 'terminated');
            assert.equal(exit.lastSeq, 100);
            await listener.stop();
            const exited = checkOutput(memory.lines()).notices.get('tributary.producer_exited') ?? [];
            assert.deepEqual(
              exited.map((notice) => [notice['exitedProducer'], notice['level']]),
              [['t1', 'warn']],
            );
          },
        ),
      timeout,
    );

    t.test(
      'stop() drains everything the producers handed over',
      () =>
        withRun(
          (memory) => [memory],
          async ({ listener, memory, start }) => {
            const names = ids(producers, 's');
            const handles = await Promise.all(names.map((name) => start({ records, then: 'stay' }, name)));
            await Promise.all(handles.map((handle) => handle.logged));
            if (!durable) await listener.flush();
            const summary = await listener.stop();
            assert.equal(summary.timedOut, false, 'stop() finished in time');
            assertComplete(memory, names, records);
            assert.deepEqual(await listener.stop(), summary, 'stop() is idempotent and resolves to the same summary');
          },
        ),
      timeout,
    );

    t.test(
      'listener gone: producers finish logging and closing within their timeout',
      () =>
        withRun(
          (memory) => [memory],
          async ({ listener, start }) => {
            const names = ids(2, 'g');
            const waitTimeout = options.waitTimeout ?? 500;
            const handles = await Promise.all(
              names.map((name) => start({ records: records * 10, padding: 200, waitForGo: true, waitTimeout, then: 'close' }, name)),
            );
            await listener.stop();
            for (const handle of handles) handle.go();
            // Liveness, not timing: each producer must get through every call and its close.
            await Promise.all(handles.map((handle) => handle.logged));
            await Promise.all(handles.map((handle) => handle.exited));
          },
        ),
      timeout,
    );

    t.test(
      'stalled sink: memory stays bounded and its drops are counted exactly',
      () => {
        const stalled = stallingSink('held');
        const maxPendingBytes = 64 * 1024;
        return withRun(
          (memory) => [memory, { sink: stalled, maxPendingBytes }],
          async ({ listener, memory, start }) => {
            const names = ids(2, 'd');
            const handles = await Promise.all(names.map((name) => start({ records, then: 'stay' }, name)));
            await Promise.all(handles.map((handle) => handle.logged));
            await waitFor(() => names.every((name) => linesOf(memory, name) === records), 'every record in the healthy sink', timeout / 2);
            // Both sinks get every record at once, but each writes on its own schedule: settle first.
            const settled = (): boolean => {
              const healthy = listener.stats.sinks[0];
              const held = listener.stats.sinks[1];
              return healthy?.pending === 0 && held !== undefined && held.dropped + held.pending + stalled.held === memory.entries.length;
            };
            await waitFor(settled, 'both sinks to account for every record', timeout / 4).catch(() => {});
            const stats = listener.stats.sinks[1];
            assert.ok(stats !== undefined);
            const shortest = Math.min(...memory.entries.map((entry) => entry.line.length));
            assert.ok(stats.pending <= Math.ceil(maxPendingBytes / shortest) + 1, `the stalled sink's queue stays bounded (${stats.pending} records)`);
            assert.ok(stats.dropped > 0, 'records were dropped for the stalled sink');
            assert.equal(stats.dropped + stats.pending + stalled.held, memory.entries.length, 'held + queued + dropped = everything dispatched');
            assertComplete(memory, names, records);
            const dropped = stats.dropped;
            stalled.release();
            await listener.stop();
            const notices = stalled.entries.filter((entry) => entry.record.msg === 'tributary.dropped');
            const reported = notices.reduce((sum, entry) => sum + Number(entry.record['dropped']), 0);
            assert.equal(reported, dropped, 'the stalled sink is told exactly how many records it missed');
          },
        );
      },
      timeout,
    );
  });
}

function producerOf(entry: LogEntry): string {
  return entry.record.producer;
}

/** The `code` member of an exit, where the runtime reported one (for comparing whole exits). */
function exitCode(exit: { readonly code?: number }): { code?: number } {
  return exit.code === undefined ? {} : { code: exit.code };
}
