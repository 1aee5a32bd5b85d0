import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, test } from 'vitest';
import { runWorkerConformance } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { attachWorker, startWorker, workerLogger } from '@tributary/node-worker';

const fixtures = { exit: new URL('./fixtures/exit-worker.mjs', import.meta.url), conformance: new URL('./fixtures/conformance-worker.mjs', import.meta.url) };
/** Workers import the built packages, not vitest's source condition. */
const execArgv: string[] = [];

runWorkerConformance<Worker>(
  { describe, test },
  {
    name: '@tributary/node-worker',
    supported: true,
    start: (listener, fixture, options) => startWorker(listener, fixtures[fixture], { ...options, execArgv }),
    // An attached worker names itself: the fixture reads its producer id from workerData.
    attach: (listener, producer) => attachWorker(listener, new Worker(fixtures.exit, { workerData: { producer }, execArgv })),
    post: (worker, message) => worker.postMessage(message),
    onMessage: (worker, receiver) => worker.on('message', receiver),
    ignoreErrors: (worker) => worker.on('error', () => {}),
    exitCodes: true,
    // Node's terminate() ends a worker with exit code 1, which the parent did not cause.
    foreignTerminate: 'crashed',
    workerLoggerOnMainThread: () => workerLogger(),
    fileSink: () => {
      const folder = mkdtempSync(join(tmpdir(), 'tributary-node-worker-'));
      const path = join(folder, 'app.log');
      return { sink: fileSink({ path }), read: () => readFileSync(path, 'utf8'), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
    },
  },
);
