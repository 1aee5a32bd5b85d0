import assert from 'node:assert/strict';
import process from 'node:process';
import type { ConnectedProducer, ProducerExit, ProducerExitReason } from '../adapter/connected-producer.ts';
import { runtimeDescription } from '../internal/host.ts';
import { QueueListener } from '../queue/listener.ts';
import type { Sink } from '../sink.ts';
import { runAdapterConformance } from './adapter-conformance.ts';
import type { AdapterHarness, AdapterProducer } from './adapter-harness.ts';
import { waitFor } from './test-api.ts';
import type { TestApi } from './test-api.ts';
import { memorySink } from './test-sinks.ts';
import { checkOutput, splitLines } from './verify.ts';
import { FIXTURE_EXIT_CODE } from './worker-fixture.ts';
import type { ExitFixtureMode } from './worker-fixture.ts';

/** A worker as the suite drives it: the adapter's connected worker. */
export interface SuiteWorker<W> extends ConnectedProducer {
  readonly worker: W;
}

/** Which fixture a worker runs: `exit` runs `runExitFixture`, `conformance` runs `runConformanceFixture`. */
export type WorkerFixture = 'exit' | 'conformance';

/** What a worker adapter hands the worker conformance suite: its functions and its runtime's ways. */
export interface WorkerConformanceAdapter<W> {
  /** The adapter's package, for test names (`@tributary/deno-worker`). */
  readonly name: string;
  /** False on a runtime the adapter refuses: then only {@link refuses} is checked. */
  readonly supported: boolean;
  /** On an unsupported runtime: calls each entry point; each must throw `WRONG_RUNTIME` matching `message`. */
  readonly refuses?: { readonly calls: readonly (() => unknown)[]; readonly message: RegExp };
  /** `startWorker(listener, <fixture's URL>, options)` of the adapter. */
  start(listener: QueueListener, fixture: WorkerFixture, options?: { readonly producer?: string; readonly stopTimeout?: number }): SuiteWorker<W>;
  /**
   * Makes a worker with the runtime's own API, running the exit fixture with its logger named
   * `producer`, and hands it to the adapter's `attachWorker()`.
   */
  attach(listener: QueueListener, producer: string): SuiteWorker<W>;
  /** Posts a message to the worker. */
  post(worker: W, message: unknown): void;
  /** Receives the worker's messages. */
  onMessage(worker: W, receiver: (data: unknown) => void): void;
  /** Keeps a worker's uncaught error from failing the parent (`preventDefault()`, an `error` listener). */
  ignoreErrors(worker: W): void;
  /** True when the runtime reports a worker's exit code (Node, Bun); Deno does not. */
  readonly exitCodes: boolean;
  /** How a worker terminated with the runtime's own `terminate()`, not the adapter's, is reported. */
  readonly foreignTerminate: ProducerExitReason | undefined;
  /** The adapter's `workerLogger()`, called on the main thread (must throw). */
  workerLoggerOnMainThread(): unknown;
  /** A file sink and how to read it back, for the end-to-end test; left out when absent. */
  fileSink?(): { readonly sink: Sink; read(): string; cleanup(): void };
  /** Run the adapter conformance suite on this adapter too. Default: true. */
  readonly adapterConformance?: boolean;
}

const RECORDS = 20_000;

interface Run<W> {
  readonly handle: SuiteWorker<W>;
  readonly sink: ReturnType<typeof memorySink>;
  readonly listener: QueueListener;
  readonly messages: Record<string, unknown>[];
  echoes: number;
}

/**
 * One conformance suite for every worker adapter (node-worker, deno-worker, bun-worker), run on
 * each runtime with the runtime's adapter: the returned shape (`producer`, `exited`, `stop()`,
 * `terminate()`), every exit reason (ended, stopped, terminated, crashed), the
 * `tributary.producer_exited` records (none for a normal end, one warn record with reason and last
 * sequence number for a crash or termination), and every record arriving once, in order, however
 * the worker ends. Then the adapter conformance suite through the same adapter.
 */
export function runWorkerConformance<W>(t: TestApi, adapter: WorkerConformanceAdapter<W>): void {
  t.describe(`worker conformance: ${adapter.name}`, () => {
    if (!adapter.supported) return refusalCases(t, adapter);
    workerCases(t, adapter);
    if (adapter.adapterConformance !== false) {
      runAdapterConformance(t, {
        name: `${adapter.name} (shared-memory ring)`,
        capabilities: { durable: true },
        createHarness: () => harnessOf(adapter),
        timeout: 60_000,
      });
    }
  });
}

function refusalCases<W>(t: TestApi, adapter: WorkerConformanceAdapter<W>): void {
  t.test('on this runtime, every entry point refuses with WRONG_RUNTIME, naming this runtime and its version', () => {
    const refuses = adapter.refuses;
    assert.ok(refuses !== undefined, 'an unsupported adapter says how it refuses');
    const here = new RegExp(`this is ${runtimeDescription().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    for (const call of refuses.calls) {
      assert.throws(call, { name: 'TributaryWrongRuntimeError', code: 'WRONG_RUNTIME', message: refuses.message });
      assert.throws(call, { message: here });
    }
  });
}

/** The exit records the listener wrote about `producer`. */
function exitRecords(lines: readonly string[], producer: string): Record<string, unknown>[] {
  return (checkOutput(lines).notices.get('tributary.producer_exited') ?? []).filter((notice) => notice['exitedProducer'] === producer);
}

function workerCases<W>(t: TestApi, adapter: WorkerConformanceAdapter<W>): void {
  const startRun = async (producer: string, attach = false): Promise<Run<W>> => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const handle = attach ? adapter.attach(listener, producer) : adapter.start(listener, 'exit', { producer });
    const run: Run<W> = { handle, sink, listener, messages: [], echoes: 0 };
    adapter.ignoreErrors(handle.worker);
    adapter.onMessage(handle.worker, (data) => {
      const message = data as Record<string, unknown>;
      if ('echo' in message) run.echoes += 1;
      else run.messages.push(message);
    });
    await waitFor(() => run.messages.some((message) => message['ready'] === true), 'the worker to connect');
    return run;
  };
  const command = (run: Run<W>, mode: ExitFixtureMode, records: number, echo = false): void => adapter.post(run.handle.worker, { mode, records, echo });
  const reported = (run: Run<W>, count: number): Promise<void> =>
    waitFor(() => run.messages.some((message) => Number(message['logged']) >= count), `the worker to report ${count} records`);

  /** Stops the listener; checks that the worker delivered exactly 1..expected and returns its exit records. */
  const verify = async (run: Run<W>, expected: number): Promise<Record<string, unknown>[]> => {
    const summary = await run.listener.stop();
    const check = checkOutput(run.sink.lines());
    const producer = check.producers.get(run.handle.producer);
    assert.ok(producer, 'the worker delivered records');
    assert.equal(check.torn, 0);
    assert.deepEqual(producer, { count: expected, maxSeq: expected, missing: 0, duplicated: 0, outOfOrder: 0 }, `records 1…${expected}, once, in order`);
    assert.equal(summary.lost, 0);
    assert.equal(check.notices.get('tributary.lost'), undefined);
    return exitRecords(run.sink.lines(), run.handle.producer);
  };
  const assertOneWarn = (records: readonly Record<string, unknown>[], reason: ProducerExitReason, lastSeq: number): void => {
    assert.equal(records.length, 1, 'one tributary.producer_exited record');
    assert.equal(records[0]?.['level'], 'warn');
    assert.equal(records[0]?.['exitReason'], reason);
    assert.equal(records[0]?.['lastSeq'], lastSeq);
  };
  const expectedExit = (mode: 'end' | 'exit' | 'throw'): Omit<ProducerExit, 'lastSeq' | 'message'> => {
    if (mode === 'throw') return { reason: 'crashed', ...(adapter.exitCodes ? { code: 1 } : {}) };
    if (mode === 'end') return { reason: 'ended', ...(adapter.exitCodes ? { code: 0 } : {}) };
    return adapter.exitCodes ? { reason: 'crashed', code: FIXTURE_EXIT_CODE } : { reason: 'ended' };
  };

  t.test(
    'the connected shape: producer (worker-1, worker-2… per listener), exited, stop(), terminate(); bad options refused before a worker starts',
    async () => {
      const listener = new QueueListener({ sinks: [], onReport: () => {} });
      const first = adapter.start(listener, 'exit');
      const second = adapter.start(listener, 'exit');
      assert.deepEqual([first.producer, second.producer], ['worker-1', 'worker-2']);
      for (const handle of [first, second]) {
        assert.ok(handle.exited instanceof Promise);
        assert.equal(typeof handle.stop, 'function');
        assert.equal(typeof handle.terminate, 'function');
      }
      assert.throws(() => adapter.start(listener, 'exit', { producer: '' }), /producer must be a non-empty string/);
      assert.throws(() => adapter.start(listener, 'exit', { stopTimeout: 0 }), /stopTimeout must be an integer ≥ 1/);
      await Promise.all([first.terminate(), second.terminate()]);
      await listener.stop();
    },
  );

  const endings: readonly [string, 'end' | 'exit' | 'throw'][] = [
    ['a normal end', 'end'],
    [`an exit with code ${FIXTURE_EXIT_CODE}`, 'exit'],
    ['an uncaught error', 'throw'],
  ];
  for (const [what, mode] of endings) {
    t.test(`${what} right after ${RECORDS.toLocaleString('en-US')} log calls loses nothing; exit and exit records as documented`, async () => {
      const run = await startRun(`exit-${mode}`);
      command(run, mode, RECORDS, true);
      const exit = await run.handle.exited;
      const expected = expectedExit(mode);
      assert.deepEqual({ reason: exit.reason, code: exit.code }, { reason: expected.reason, code: expected.code });
      assert.equal(exit.lastSeq, RECORDS);
      if (mode === 'throw') assert.match(String(exit.message), /uncaught on purpose/);
      const records = await verify(run, RECORDS);
      if (expected.reason === 'ended') assert.deepEqual(records, [], 'no tributary.producer_exited record for a normal end');
      else assertOneWarn(records, expected.reason, RECORDS);
      // The same records also went out one postMessage each: what that channel alone delivered.
      // Core's types leave out the DOM and Node libraries: every runtime has a console, typed here.
      (globalThis as { console?: { log(text: string): void } }).console?.log(
        `    (${what}: ${RECORDS} of ${RECORDS} through the ring; ${run.echoes} of ${RECORDS} through postMessage)`,
      );
    });
  }

  t.test('terminate() right after the worker reported its log calls: terminated, nothing lost, one warn record', async () => {
    const run = await startRun('terminate-after');
    command(run, 'report', RECORDS);
    await reported(run, RECORDS);
    const exit = await run.handle.terminate();
    assert.equal(exit.reason, 'terminated');
    assert.equal(exit.lastSeq, RECORDS);
    assert.equal(await run.handle.terminate(), exit, 'terminate() again resolves with the same exit');
    assertOneWarn(await verify(run, RECORDS), 'terminated', RECORDS);
  });

  t.test("the runtime's own terminate() on a worker logging in a loop: no gap, no duplicate, loss counted exactly", async () => {
    const run = await startRun('terminate-mid');
    command(run, 'forever', 0);
    await reported(run, RECORDS);
    (run.handle.worker as unknown as { terminate(): void }).terminate();
    const exit = await run.handle.exited;
    if (adapter.foreignTerminate !== undefined) assert.equal(exit.reason, adapter.foreignTerminate);
    const summary = await run.listener.stop();
    const check = checkOutput(run.sink.lines());
    const producer = check.producers.get('terminate-mid');
    assert.ok(producer !== undefined && producer.count >= RECORDS, 'every reported record arrived');
    assert.equal(producer.missing + producer.duplicated + producer.outOfOrder + check.torn, 0);
    assert.equal(exit.lastSeq, producer.maxSeq, 'exited names the last record that arrived');
    // A call cut off mid-write by terminate() never returned; if one was, it is reported, not hidden.
    assert.ok(summary.lost <= 1, `lost ${summary.lost}`);
  });

  t.test('a worker logger made without a level takes TRIBUTARY_LEVEL (over LOG_LEVEL) from the environment it starts in', async () => {
    const saved = [process.env['TRIBUTARY_LEVEL'], process.env['LOG_LEVEL']] as const;
    process.env['TRIBUTARY_LEVEL'] = 'Warning';
    process.env['LOG_LEVEL'] = 'trace';
    let run: Run<W>;
    try {
      run = await startRun('levels'); // the fixture made its logger before it said ready
    } finally {
      restoreVariable('TRIBUTARY_LEVEL', saved[0]);
      restoreVariable('LOG_LEVEL', saved[1]);
    }
    command(run, 'levels', 0);
    await waitFor(() => run.messages.some((message) => message['levels'] === true), 'the worker to log at every level');
    await run.listener.stop();
    const levels = run.sink
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record['logger'] === 'exit-worker')
      .map((record) => record['level']);
    assert.deepEqual(levels, ['warn', 'error', 'fatal']);
    await run.handle.terminate();
  });

  t.test('withContext in a worker that injects its own storage: interleaved requests, each record with its own requestId', async () => {
    const run = await startRun('context');
    command(run, 'context', 10);
    await waitFor(() => run.messages.some((message) => message['context'] === true), 'the worker to run its requests');
    await run.listener.stop();
    const records = run.sink
      .lines()
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record['msg'] === 'context record');
    assert.equal(records.length, 30);
    for (const record of records) assert.equal(record['requestId'], `w${String(record['index'])}`);
    const steps = records.map((record) => `${String(record['index'])}.${String(record['step'])}`);
    assert.ok(steps.indexOf('9.1') < steps.indexOf('0.3'), 'the requests interleaved');
    await run.handle.terminate();
  });

  t.test('stop() asks the worker to flush and close, and it ends: stopped, no exit record; stop() is idempotent', async () => {
    const run = await startRun('stopped');
    command(run, 'report', 5_000);
    await reported(run, 5_000);
    const exit = await run.handle.stop();
    assert.equal(exit.reason, 'stopped');
    assert.equal(exit.lastSeq, 5_000);
    assert.equal(await run.handle.stop(), exit);
    assert.deepEqual(await verify(run, 5_000), []);
  });

  t.test('attachWorker() wires a worker the application created itself; its producer is the id its logger announced', async () => {
    const run = await startRun('attached', true);
    command(run, 'end', 1_000);
    assert.equal((await run.handle.exited).reason, 'ended');
    assert.equal(run.handle.producer, 'attached');
    assert.deepEqual(await verify(run, 1_000), []);
  });

  t.test('four workers into one listener, each ending differently', async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const modes = ['end', 'exit', 'throw', 'report'] as const;
    const handles = modes.map((mode) => {
      const handle = adapter.start(listener, 'exit', { producer: `many-${mode}` });
      adapter.ignoreErrors(handle.worker);
      adapter.onMessage(handle.worker, (data) => {
        const message = data as Record<string, unknown>;
        if (message['ready'] === true) adapter.post(handle.worker, { mode, records: 5_000 });
        if (message['logged'] === 5_000) void handle.terminate();
      });
      return handle;
    });
    const exits = await Promise.all(handles.map((handle) => handle.exited));
    assert.deepEqual(
      exits.map((exit) => exit.reason),
      [expectedExit('end').reason, expectedExit('exit').reason, 'crashed', 'terminated'],
    );
    const summary = await listener.stop();
    const check = checkOutput(sink.lines());
    for (const mode of modes) assert.equal(check.producers.get(`many-${mode}`)?.count, 5_000, mode);
    assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn + summary.lost, 0);
  });

  const fileSink = adapter.fileSink;
  if (fileSink !== undefined) {
    t.test('workers → listener → a file sink: every line in the file, once, in order', async () => {
      const file = fileSink();
      try {
        const listener = new QueueListener({ sinks: [file.sink], onReport: () => {} });
        const main = listener.logger({ name: 'main' });
        const modes = ['end', 'report'] as const;
        const handles = modes.map((mode, index) => {
          const handle = adapter.start(listener, 'exit', { producer: `file-${index}` });
          adapter.onMessage(handle.worker, (data) => {
            const message = data as Record<string, unknown>;
            if (message['ready'] === true) adapter.post(handle.worker, { mode, records: 10_000 });
            if (message['logged'] === 10_000) void handle.terminate();
          });
          return handle;
        });
        for (let n = 1; n <= 1_000; n++) main.info('from the main thread', { n });
        await Promise.all(handles.map((handle) => handle.exited));
        const summary = await listener.stop();
        const check = checkOutput(splitLines(file.read()));
        modes.forEach((_, index) => assert.equal(check.producers.get(`file-${index}`)?.count, 10_000));
        assert.equal(check.producers.get('main')?.count, 1_000);
        assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn + summary.lost, 0);
      } finally {
        file.cleanup();
      }
    });
  }

  t.test('workerLogger() on the main thread throws a clear error', () => {
    assert.throws(() => adapter.workerLoggerOnMainThread(), /workerLogger\(\) runs inside a worker/);
  });
}

/** The adapter conformance harness, built from the adapter's own functions and the conformance fixture. */
function harnessOf<W>(adapter: WorkerConformanceAdapter<W>): AdapterHarness {
  return {
    start(listener, script, producer): AdapterProducer {
      const kill = new Int32Array(new SharedArrayBuffer(4));
      const connected = adapter.start(listener, 'conformance', { producer });
      let reportLogged: () => void = () => {};
      const logged = new Promise<void>((resolve) => {
        reportLogged = resolve;
      });
      adapter.ignoreErrors(connected.worker);
      adapter.onMessage(connected.worker, (data) => {
        if ((data as { logged?: boolean }).logged === true) reportLogged();
      });
      adapter.post(connected.worker, { script, kill: kill.buffer });
      return {
        producer,
        logged,
        exited: connected.exited.then(() => {}),
        go: () => adapter.post(connected.worker, { go: true }),
        kill: async () => {
          Atomics.store(kill, 0, 1);
          await connected.terminate();
        },
      };
    },
  };
}

function restoreVariable(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
