/**
 * @tributary/bun-worker, for real: on Bun, workers log through the shared-memory ring and end every
 * way a Bun worker can end; every record a log call returned from must reach the sink, once, in
 * order. On Node and Deno (where this suite also runs) the adapter must refuse with a clear error.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink, splitLines, runAdapterConformance, waitFor } from '@tributary/core/testing';
import type { AdapterHarness, AdapterProducer, TestApi } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { attachWorker, workerLogger, startWorker } from '@tributary/bun-worker';
import type { ConnectedWorker, WebWorker, WorkerExit } from '@tributary/bun-worker';

const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';
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
  // An attached worker names itself: the fixture reads its producer id from workerData.
  const handle = attach
    ? attachWorker(listener, new Worker(fixture.href, { type: 'module', workerData: { producer } } as WorkerOptions))
    : startWorker(listener, fixture, { producer });
  const run: Run = { producer, handle, sink, listener, messages: [], echoes: 0 };
  // startWorker() and attachWorker() type their worker differently; both are Bun Workers.
  const events = handle.worker as unknown as { addEventListener(type: string, listener: (event: { readonly data?: unknown; preventDefault(): void }) => void): void };
  events.addEventListener('error', (event) => event.preventDefault());
  events.addEventListener('message', (event) => {
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

function bunCases(t: TestApi): void {
  const endings: readonly [string, 'exit' | 'throw', WorkerExit['reason'], number][] = [
    ['process.exit() in the worker', 'exit', 'exited', 3],
    ['an uncaught error', 'throw', 'uncaught error', 1],
  ];
  for (const [what, mode, reason, code] of endings) {
    t.test(`${what} right after ${RECORDS.toLocaleString('en-US')} log calls loses nothing`, async () => {
      const run = await startFixture(`exit-${mode}`);
      run.handle.worker.postMessage({ mode, records: RECORDS, echo: true });
      const exit = await run.handle.exited;
      assert.equal(exit.reason, reason);
      assert.equal(exit.code, code);
      await verify(run, RECORDS);
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

  t.test('worker.terminate() on a worker logging in a tight loop: no gap, no duplicate, loss counted exactly', async () => {
    const run = await startFixture('terminate-mid');
    run.handle.worker.postMessage({ mode: 'forever', records: 0 });
    await waitFor(() => run.messages.some((message) => Number(message['logged']) >= RECORDS), 'the worker to log a while');
    run.handle.worker.terminate();
    await run.handle.exited;
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
    run.handle.worker.postMessage({ mode: 'exit', records: 1_000 });
    assert.equal((await run.handle.exited).reason, 'exited');
    await verify(run, 1_000);
  });

  t.test('four workers into one listener, each ending differently', async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const modes = ['exit', 'throw', 'report', 'exit'] as const;
    const handles = modes.map((mode, index) => {
      const handle = startWorker(listener, fixture, { producer: `many-${index}` });
      handle.worker.addEventListener('error', (event) => event.preventDefault());
      handle.worker.addEventListener('message', (event) => {
        const data = event.data as Record<string, unknown>;
        if (data['ready'] === true) handle.worker.postMessage({ mode, records: 5_000 });
        if (data['logged'] === 5_000) void handle.terminate();
      });
      return handle;
    });
    await Promise.all(handles.map((handle) => handle.exited));
    const summary = await listener.stop();
    const check = checkOutput(sink.lines());
    modes.forEach((mode, index) => assert.equal(check.producers.get(`many-${index}`)?.count, 5_000, mode));
    assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn + summary.lost, 0);
  });

  t.test('workers → listener → @tributary/sink-file, all on Bun: every line in the file, once, in order', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tributary-bun-worker-'));
    try {
      const path = join(folder, 'app.log');
      const listener = new QueueListener({ sinks: [fileSink({ path })], onReport: () => {} });
      const main = listener.logger({ name: 'main' });
      const modes = ['exit', 'report'] as const;
      const handles = modes.map((mode, index) => {
        const handle = startWorker(listener, fixture, { producer: `file-${index}` });
        handle.worker.addEventListener('message', (event: { readonly data: unknown }) => {
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

/** Starts conformance producers: Bun workers running the suite's script (see the fixture). */
function conformanceHarness(): AdapterHarness {
  return {
    start(listener, script, producer): AdapterProducer {
      const connected = startWorker(listener, conformanceFixture, { producer });
      let reportLogged: () => void = () => {};
      const logged = new Promise<void>((resolve) => {
        reportLogged = resolve;
      });
      connected.worker.addEventListener('error', (event) => event.preventDefault());
      connected.worker.addEventListener('message', (event) => {
        if ((event.data as { logged?: boolean }).logged === true) reportLogged();
      });
      connected.worker.postMessage({ script });
      return {
        producer,
        logged,
        exited: connected.exited.then(() => {}),
        go: () => connected.worker.postMessage({ go: true }),
        kill: async () => {
          await connected.terminate();
        },
      };
    },
  };
}

function elsewhereCases(t: TestApi): void {
  const runtime = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ? 'Deno' : 'Node.js';
  console.log(`  - bun-worker: the worker cases need Bun and run under \`bun\`; on ${runtime} only the runtime check runs`);
  t.test(`on ${runtime}, startWorker(), attachWorker() and workerLogger() refuse with WRONG_RUNTIME`, async () => {
    const listener = new QueueListener({ sinks: [], onReport: () => {} });
    const expected = { name: 'TributaryWrongRuntimeError', code: 'WRONG_RUNTIME', message: new RegExp(`needs Bun, but this is ${runtime}.*@tributary/${runtime === 'Deno' ? 'deno' : 'node'}-worker`) };
    const fake: WebWorker = { postMessage() {}, terminate() {}, addEventListener() {} };
    assert.throws(() => startWorker(listener, 'file:///nowhere.ts'), expected);
    assert.throws(() => attachWorker(listener, fake), expected);
    assert.throws(() => workerLogger(), expected);
    await listener.stop();
  });
}

export default function suite(t: TestApi): void {
  t.describe('bun-worker', () => {
    if (!onBun) return elsewhereCases(t);
    bunCases(t);
    runAdapterConformance(t, { name: 'Bun Web Workers (shared-memory ring)', capabilities: { durable: true }, createHarness: conformanceHarness, timeout: 60_000 });
  });
}
