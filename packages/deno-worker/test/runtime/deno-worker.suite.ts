/**
 * @tributary/deno-worker, for real: the shared worker conformance suite with Deno's primitives. On
 * Node and Bun (where this suite also runs) the adapter must refuse with a clear error.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { runWorkerConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { attachWorker, startWorker, workerLogger } from '@tributary/deno-worker';

const onDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
const elsewhere = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined' ? 'Bun' : 'Node.js';
const fixtures = { exit: new URL('../fixtures/exit-worker.ts', import.meta.url), conformance: new URL('../fixtures/conformance-worker.ts', import.meta.url) };
const listener = () => new QueueListener({ sinks: [], onReport: () => {} });

export default function suite(t: TestApi): void {
  runWorkerConformance<Worker>(t, {
    name: '@tributary/deno-worker',
    supported: onDeno,
    refuses: {
      calls: [
        () => startWorker(listener(), 'file:///nowhere.ts'),
        () => attachWorker(listener(), { postMessage() {}, terminate() {}, addEventListener() {} }),
        () => workerLogger(),
      ],
      message: new RegExp(`needs Deno, but this is ${elsewhere}.*@tributary/${elsewhere === 'Bun' ? 'bun' : 'node'}-worker`),
    },
    start: (to, fixture, options) => startWorker(to, fixtures[fixture], options),
    // An attached worker is named by the application; its logger takes the name as its producer id.
    attach: (to, producer) => attachWorker(to, new Worker(fixtures.exit, { type: 'module', name: producer })),
    post: (worker, message) => worker.postMessage(message),
    onMessage: (worker, receiver) => worker.addEventListener('message', (event: MessageEvent) => receiver(event.data)),
    ignoreErrors: (worker) => worker.addEventListener('error', (event) => event.preventDefault()),
    exitCodes: false,
    // A Deno worker's end says nothing of who ended it.
    foreignTerminate: 'ended',
    workerLoggerOnMainThread: () => workerLogger(),
    fileSink: () => {
      const folder = mkdtempSync(join(tmpdir(), 'tributary-deno-worker-'));
      const path = join(folder, 'app.log');
      return { sink: fileSink({ path }), read: () => readFileSync(path, 'utf8'), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
    },
  });
}
