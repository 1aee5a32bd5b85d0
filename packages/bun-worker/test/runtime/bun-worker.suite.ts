/**
 * @tributary/bun-worker, for real: the shared worker conformance suite with Bun's primitives. On
 * Node and Deno (where this suite also runs) the adapter must refuse with a clear error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { runWorkerConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { attachWorker, startWorker, workerLogger } from '@tributary/bun-worker';
import type { StartedWorker } from '@tributary/bun-worker';

const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';
const elsewhere = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined' ? 'Deno' : 'Node.js';
const fixtures = { exit: new URL('../fixtures/exit-worker.ts', import.meta.url), conformance: new URL('../fixtures/conformance-worker.ts', import.meta.url) };
const listener = () => new QueueListener({ sinks: [], onReport: () => {} });
type BunWorker = new (url: string, options: object) => StartedWorker;

export default function suite(t: TestApi): void {
  runWorkerConformance<StartedWorker>(t, {
    name: '@tributary/bun-worker',
    supported: onBun,
    refuses: {
      calls: [
        () => startWorker(listener(), 'file:///nowhere.ts'),
        () => attachWorker(listener(), { postMessage() {}, terminate() {}, addEventListener() {} }),
        () => workerLogger(),
      ],
      message: new RegExp(`needs Bun, but this is ${elsewhere}.*@tributary/${elsewhere === 'Deno' ? 'deno' : 'node'}-worker`),
    },
    start: (to, fixture, options) => startWorker(to, fixtures[fixture], options),
    // An attached worker names itself: the fixture reads its producer id from workerData.
    attach: (to, producer) => {
      const WorkerClass = (globalThis as unknown as { Worker: BunWorker }).Worker;
      return attachWorker(to, new WorkerClass(fixtures.exit.href, { type: 'module', workerData: { producer } }));
    },
    post: (worker, message) => worker.postMessage(message),
    onMessage: (worker, receiver) => worker.addEventListener('message', (event) => receiver(event.data)),
    ignoreErrors: (worker) => worker.addEventListener('error', (event) => event.preventDefault()),
    exitCodes: true,
    foreignTerminate: undefined,
    workerLoggerOnMainThread: () => workerLogger(),
    fileSink: () => {
      const folder = mkdtempSync(join(tmpdir(), 'tributary-bun-worker-'));
      const path = join(folder, 'app.log');
      return { sink: fileSink({ path }), read: () => readFileSync(path, 'utf8'), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
    },
  });
}
