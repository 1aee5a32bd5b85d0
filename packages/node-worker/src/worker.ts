import { getEnvironmentData, isMainThread, parentPort, threadId } from 'node:worker_threads';
import { announceToAcceptors, claimRing, workerLoggerOn } from '@tributary/core/adapter';
import type { Logger, WorkerLoggerOptions } from '@tributary/core';
import type { WorkerProducer, WorkerRuntime } from '@tributary/core/adapter';
import { CONNECTION_KEY, STOP_REQUEST, connectionOf, isConnection } from './internal/connection.ts';
import type { WorkerConnection } from './internal/connection.ts';

/** Options of {@link workerLogger} (shared by every worker adapter, defined in core). */
export type { WorkerLoggerOptions } from '@tributary/core';

const slot: { current?: WorkerProducer } = {};

/**
 * A logger connected to the listener, usable at once. Inside a worker started with `startWorker()`
 * it writes into the worker's shared-memory ring: a record is safe the moment the call returns.
 * Inside a worker wired later with `attachWorker()`, records are kept in memory until the ring
 * arrives. Later calls in the same thread share the thread's producer (their producer options are
 * ignored) and give loggers with their own name, level and fields.
 */
export function workerLogger(options: WorkerLoggerOptions = {}): Logger {
  if (isMainThread) {
    throw new Error('@tributary/node-worker: workerLogger() runs inside a worker thread; on the main thread use listener.logger()');
  }
  const first = slot.current === undefined;
  const logger = workerLoggerOn(slot, options, threadRuntime);
  // A clean end (or process.exit() in the worker) says goodbye; the ring write is synchronous.
  const handler = slot.current?.handler;
  if (first && handler !== undefined) process.once('exit', () => handler.closeNow());
  return logger;
}

/**
 * Flushes the thread's producer, says goodbye to the listener and closes the channel. Later log
 * calls are counted as undeliverable. Resolves once; never rejects.
 */
export async function closeWorkerLogger(): Promise<void> {
  await slot.current?.handler.close();
}

/** This thread as the shared worker producer sees it: the ring given at start, or one sent later. */
function threadRuntime(): WorkerRuntime {
  const given: unknown = getEnvironmentData(CONNECTION_KEY);
  const connection = isConnection(given) && claimRing(given.buffer) ? given : undefined;
  if (connection !== undefined) listenForStop(connection);
  const port = parentPort;
  let receive: ((message: unknown) => void) | undefined;
  return {
    runtime: 'node',
    thread: threadId,
    defaultProducer: `w${threadId}`,
    initial: connection,
    awaitGrant(callback) {
      const listener = (message: unknown): void => {
        const attached = connectionOf(message);
        if (attached === undefined || !claimRing(attached.buffer)) return;
        port?.off('message', listener);
        listenForStop(attached);
        callback(attached);
      };
      receive = listener;
      port?.on('message', listener);
    },
    stopAwaitingGrant() {
      if (receive !== undefined) port?.off('message', receive);
    },
    // A pool's thread: an acceptor of this process (acceptWorkers()) may take it.
    announce: (ring) => announceToAcceptors({ thread: threadId }, ring),
  };
}

/**
 * Hears the parent's `stop()`: closes the logger (flush, goodbye) and ends the thread. The channel
 * does not keep the thread alive.
 */
function listenForStop(connection: WorkerConnection): void {
  const channel = new BroadcastChannel(connection.stopChannel);
  channel.onmessage = (event) => {
    if ((event as MessageEvent).data !== STOP_REQUEST) return;
    channel.close();
    void closeWorkerLogger().finally(() => process.exit(0));
  };
  // After onmessage, which refs the channel.
  channel.unref();
}
