/**
 * @tributary/bun-worker acceptWorkers(), for real: plain Web Workers started by code that never
 * calls startWorker(). On Node and Deno (where this suite also runs) it must refuse with a clear error.
 */
import { runAcceptConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { acceptWorkers } from '@tributary/bun-worker';
import type { StartedWorker } from '@tributary/bun-worker';
import { expectTributaryVerifiedLines } from '../../../../tooling/runtime-tests/tributary-verify.ts';

const onBun = typeof (globalThis as { Bun?: unknown }).Bun !== 'undefined';
const exitFixture = new URL('../fixtures/exit-worker.ts', import.meta.url);
type BunWorker = new (url: string, options: object) => StartedWorker;

export default function suite(t: TestApi): void {
  runAcceptConformance<StartedWorker>(t, {
    name: '@tributary/bun-worker',
    supported: onBun,
    accept: acceptWorkers,
    create: () => new (globalThis as unknown as { Worker: BunWorker }).Worker(exitFixture.href, { type: 'module' }),
    post: (worker, message) => worker.postMessage(message),
    onMessage: (worker, receiver) => worker.addEventListener('message', (event) => receiver(event.data)),
    ignoreErrors: (worker) => worker.addEventListener('error', (event) => event.preventDefault()),
    terminate: (worker) =>
      new Promise<void>((resolve) => {
        worker.addEventListener('close', () => resolve());
        worker.terminate();
      }),
    crashReason: 'crashed',
    terminateReasons: ['terminated', 'ended'],
    takesEarlierWorkers: false,
    // The real `tributary verify` on every case's output: exit 0, each worker's records, no unreported loss.
    verifyOutput: (lines, records) => void expectTributaryVerifiedLines(lines, { records }),
  });
}
