/**
 * @tributary/deno-worker, for real: on Deno, workers log through the shared-memory ring and end every
 * way a Deno worker can end; every record a log call returned from must reach the sink, once, in
 * order. On Node and Bun (where this suite also runs) the adapter must refuse with a clear error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink, splitLines, runAdapterConformance, waitFor } from '@tributary/core/testing';
import type { AdapterHarness, AdapterProducer, TestApi } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { attachWorker, workerLogger, startWorker } from '@tributary/deno-worker';
import type { ConnectedWorker, WorkerExit } from '@tributary/deno-worker';

const onDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
const fixture = new URL('../fixtures/exit-worker.ts', import.meta.url);
const conformanceFixture = new URL('../fixtures/conformance-worker.ts', import.meta.url);
const RECORDS = 20_000;

interface Run {
  readonly producer: string;
  readonly handle: ConnectedWorker;
  readonly sink: ReturnType<typeof memorySink>;
  readonly listener: QueueListener;
  readonly messages: Record<string, unknown>[];
  echoes: number;
}

/** Starts the fixture worker on a fresh listener and waits until it is connected. */
async function startFixture(producer: string, attach = false): Promise<Run> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
  const handle = attach
    ? attachWorker(listener, new Worker(fixture, { type: 'module', name: producer }))
    : startWorker(listener, fixture, { producer });
  const run: Run = { producer, handle, sink, listener, messages: [], echoes: 0 };
  handle.worker.addEventListener('error', (event) => event.preventDefault());
  handle.worker.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as Record<string, unknown>;
    if ('echo' in data) run.echoes += 1;
    else run.messages.push(data);
  });
  await waitFor(() => run.messages.some((message) => message['ready'] === true), 'the worker to connect');
  return run;
}

/** Stops the listener and checks that `producer` delivered exactly 1..expected, nothing lost. */
async function verify(run: Run, expected: number): Promise<void> {
  const summary = await run.listener.stop();
  const check = checkOutput(run.sink.lines());
  const producer = check.producers.get(run.producer);
  assert.ok(producer, 'the worker delivered records');
  assert.equal(check.torn, 0);
  assert.equal(producer.count, expected, `records delivered of ${expected}`);
  assert.equal(producer.maxSeq, expected);
  assert.equal(producer.missing + producer.duplicated + producer.outOfOrder, 0);
  assert.equal(summary.lost, 0);
  assert.equal(check.notices.get('tributary.lost'), undefined);
}

function denoCases(t: TestApi): void {
  const endings: readonly [string, 'close' | 'exit' | 'throw', WorkerExit['reason']][] = [
    ['self.close()', 'close', 'ended'],
    ['Deno.exit() in the worker', 'exit', 'ended'],
    ['an uncaught error', 'throw', 'uncaught error'],
  ];
  for (const [what, mode, reason] of endings) {
    t.test(`${what} right after ${RECORDS.toLocaleString('en-US')} log calls loses nothing`, async () => {
      const run = await startFixture(`exit-${mode}`);
      run.handle.worker.postMessage({ mode, records: RECORDS, echo: true });
      const exit = await run.handle.exited;
      assert.equal(exit.reason, reason);
      await verify(run, RECORDS);
      // The same records also went out one postMessage each: what that channel alone delivered.
      console.log(`    (${what}: ${RECORDS} of ${RECORDS} through the ring; ${run.echoes} of ${RECORDS} through postMessage)`);
    });
  }

  t.test('worker.terminate() right after the worker reported its log calls loses nothing', async () => {
    const run = await startFixture('terminate-after');
    run.handle.worker.postMessage({ mode: 'report', records: RECORDS });
    await waitFor(() => run.messages.some((message) => message['logged'] === RECORDS), 'the worker to report');
    const exit = await run.handle.terminate();
    assert.equal(exit.reason, 'terminated');
    await verify(run, RECORDS);
  });

  t.test('worker.terminate() called directly on the Worker, mid-stream: no gap, no duplicate, loss counted exactly', async () => {
    const run = await startFixture('terminate-mid');
    run.handle.worker.postMessage({ mode: 'forever', records: 0 });
    await waitFor(() => run.messages.some((message) => Number(message['logged']) >= RECORDS), 'the worker to log a while');
    run.handle.worker.terminate();
    const exit = await run.handle.exited;
    assert.equal(exit.reason, 'ended');
    const summary = await run.listener.stop();
    const check = checkOutput(run.sink.lines());
    const producer = check.producers.get('terminate-mid');
    assert.ok(producer !== undefined && producer.count >= RECORDS, 'every reported record arrived');
    assert.equal(producer.missing + producer.duplicated + producer.outOfOrder + check.torn, 0);
    // A call cut off mid-write by terminate() never returned; if one was, it is reported, not hidden.
    assert.ok(summary.lost <= 1, `lost ${summary.lost}`);
  });

  t.test('stop() asks the worker to flush and close, and it ends', async () => {
    const run = await startFixture('stopped');
    run.handle.worker.postMessage({ mode: 'report', records: 5_000 });
    await waitFor(() => run.messages.some((message) => message['logged'] === 5_000), 'the worker to report');
    const exit = await run.handle.stop();
    assert.equal(exit.reason, 'stopped');
    assert.equal(await run.handle.stop(), exit);
    await verify(run, 5_000);
  });

  t.test('attachWorker() wires a Worker the application created itself', async () => {
    const run = await startFixture('attached', true);
    run.handle.worker.postMessage({ mode: 'close', records: 1_000 });
    assert.equal((await run.handle.exited).reason, 'ended');
    await verify(run, 1_000);
  });

  t.test('four workers into one listener, each ending differently', async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const modes = ['close', 'exit', 'throw', 'report'] as const;
    const handles = modes.map((mode) => {
      const handle = startWorker(listener, fixture, { producer: `many-${mode}` });
      handle.worker.addEventListener('error', (event) => event.preventDefault());
      handle.worker.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as Record<string, unknown>;
        if (data['ready'] === true) handle.worker.postMessage({ mode, records: 5_000 });
        if (data['logged'] === 5_000) void handle.terminate();
      });
      return handle;
    });
    await Promise.all(handles.map((handle) => handle.exited));
    const summary = await listener.stop();
    const check = checkOutput(sink.lines());
    for (const mode of modes) assert.equal(check.producers.get(`many-${mode}`)?.count, 5_000, mode);
    assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn + summary.lost, 0);
  });

  t.test('workers → listener → @tributary/sink-file, all on Deno: every line in the file, once, in order', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tributary-deno-worker-'));
    try {
      const path = join(folder, 'app.log');
      const listener = new QueueListener({ sinks: [fileSink({ path })], onReport: () => {} });
      const main = listener.logger({ name: 'main' });
      const modes = ['close', 'exit'] as const;
      const handles = modes.map((mode, index) => {
        const handle = startWorker(listener, fixture, { producer: `file-${index}` });
        handle.worker.addEventListener('message', (event: MessageEvent) => {
          const data = event.data as Record<string, unknown>;
          if (data['ready'] === true) handle.worker.postMessage({ mode, records: 10_000 });
          if (data['logged'] === 10_000) void handle.terminate();
        });
        return handle;
      });
      for (let n = 1; n <= 1_000; n++) main.info('from the main thread', { n });
      await Promise.all(handles.map((handle) => handle.exited));
      const summary = await listener.stop();
      const check = checkOutput(splitLines(readFileSync(path, 'utf8')));
      modes.forEach((_, index) => assert.equal(check.producers.get(`file-${index}`)?.count, 10_000));
      assert.equal(check.producers.get('main')?.count, 1_000);
      assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn + summary.lost, 0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  t.test('workerLogger() on the main thread throws a clear error', () => {
    assert.throws(() => workerLogger(), /workerLogger\(\) runs inside a worker/);
  });
}

/** Starts conformance producers: Deno workers running the suite's script (see the fixture). */
function conformanceHarness(): AdapterHarness {
  return {
    start(listener, script, producer): AdapterProducer {
      const kill = new Int32Array(new SharedArrayBuffer(4));
      const connected = startWorker(listener, conformanceFixture, { producer });
      let reportLogged: () => void = () => {};
      const logged = new Promise<void>((resolve) => {
        reportLogged = resolve;
      });
      connected.worker.addEventListener('error', (event) => event.preventDefault());
      connected.worker.addEventListener('message', (event: MessageEvent) => {
        if ((event.data as { logged?: boolean }).logged === true) reportLogged();
      });
      connected.worker.postMessage({ script, kill: kill.buffer });
      return {
        producer,
        logged,
        exited: connected.exited.then(() => {}),
        go: () => connected.worker.postMessage({ go: true }),
        kill: async () => {
          Atomics.store(kill, 0, 1);
          await connected.terminate();
        },
      };
    },
  };
}

function elsewhereCases(t: TestApi): void {
  const runtime = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined' ? 'Bun' : 'Node.js';
  console.log(`  - deno-worker: the worker cases need Deno and run under \`deno run\`; on ${runtime} only the runtime check runs`);
  t.test(`on ${runtime}, startWorker(), attachWorker() and workerLogger() refuse with WRONG_RUNTIME`, async () => {
    const listener = new QueueListener({ sinks: [], onReport: () => {} });
    const expected = { name: 'TributaryWrongRuntimeError', code: 'WRONG_RUNTIME', message: new RegExp(`needs Deno, but this is ${runtime}.*@tributary/${runtime === 'Bun' ? 'bun' : 'node'}-worker`) };
    assert.throws(() => startWorker(listener, 'file:///nowhere.ts'), expected);
    assert.throws(() => attachWorker(listener, { postMessage() {}, terminate() {}, addEventListener() {} }), expected);
    assert.throws(() => workerLogger(), expected);
    await listener.stop();
  });
}

export default function suite(t: TestApi): void {
  t.describe('deno-worker', () => {
    if (!onDeno) return elsewhereCases(t);
    denoCases(t);
    runAdapterConformance(t, { name: 'Deno Web Workers (shared-memory ring)', capabilities: { durable: true }, createHarness: conformanceHarness, timeout: 60_000 });
  });
}
