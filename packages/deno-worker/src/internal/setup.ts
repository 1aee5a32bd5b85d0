/**
 * The one message a parent sends a Deno worker to connect it (core's setup mailbox), plus what only
 * Deno needs: the name of the Web Lock the worker holds for its life and the flag it raises once it
 * holds it. The worker takes the lock before the setup is used, even if it never logs.
 */
import { SETUP_MARK, STOP_MARK, createSetupMailbox } from '@tributary/core/adapter';
import type { WorkerSetupMessage } from '@tributary/core/adapter';
import { holdLivenessLock, raiseFlag } from './liveness.ts';

export { SETUP_MARK, STOP_MARK };

/** What the parent tells a Deno worker. */
export interface WorkerSetup extends WorkerSetupMessage {
  /** The Web Lock the worker holds for its life, so the parent can tell it ended. */
  readonly lock: string;
  /** 4 bytes: the worker sets them to 1 once it holds the lock. */
  readonly lockHeld: SharedArrayBuffer;
}

/** True inside a Web Worker. */
export function inWorker(): boolean {
  const scope = globalThis as { WorkerGlobalScope?: new () => unknown };
  return typeof scope.WorkerGlobalScope === 'function' && globalThis instanceof scope.WorkerGlobalScope;
}

// The lock first: the parent watches it once the flag is up, and the hello comes after.
const mailbox = createSetupMailbox<WorkerSetup>(inWorker, (setup, ready) =>
  holdLivenessLock(setup.lock, () => {
    raiseFlag(new Int32Array(setup.lockHeld));
    ready();
  }),
);

/** Starts catching the setup and stop messages (worker side; nothing on a main thread). Idempotent. */
export const catchSetup = (): void => mailbox.catch();
/** Calls `receiver` with the setup once the worker holds its lock (one receiver). */
export const onSetup = (receiver: (setup: WorkerSetup) => void): void => mailbox.onSetup(receiver);
/** Registers what to do when the parent asks the worker to stop (one callback). */
export const onStopRequest = (callback: () => void): void => mailbox.onStopRequest(callback);

/** The worker's name (`self.name`), which `startWorker()` sets to the producer id. */
export function workerName(): string {
  const name = (globalThis as { name?: unknown }).name;
  return typeof name === 'string' ? name : '';
}
