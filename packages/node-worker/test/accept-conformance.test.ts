import { Worker } from 'node:worker_threads';
import { describe, test } from 'vitest';
import { runAcceptConformance } from '@tributary/core/testing';
import { acceptWorkers } from '@tributary/node-worker';
import { expectTributaryVerifiedLines } from '../../../tooling/runtime-tests/tributary-verify.ts';

const exitFixture = new URL('./fixtures/exit-worker.mjs', import.meta.url);
/** Workers import the built packages, not vitest's source condition. */
const execArgv: string[] = [];

runAcceptConformance<Worker>(
  { describe, test },
  {
    name: '@tributary/node-worker',
    supported: true,
    accept: acceptWorkers,
    create: () => new Worker(exitFixture, { execArgv }),
    post: (worker, message) => worker.postMessage(message),
    onMessage: (worker, receiver) => worker.on('message', receiver),
    ignoreErrors: (worker) => worker.on('error', () => {}),
    terminate: async (worker) => {
      await worker.terminate();
    },
    crashReason: 'crashed',
    terminateReasons: ['terminated'],
    takesEarlierWorkers: false,
    // The real `tributary verify` on every case's output: exit 0, each worker's records, no unreported loss.
    verifyOutput: (lines, records) => void expectTributaryVerifiedLines(lines, { records }),
  },
);
