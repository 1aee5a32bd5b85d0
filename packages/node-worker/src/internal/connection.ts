import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { WorkerSetupMessage } from '@tributary/core/adapter';

/** What the parent hands a worker so it can log into its ring: core's setup plus its stop channel. */
export interface WorkerConnection extends WorkerSetupMessage {
  /** The `BroadcastChannel` on which the parent asks the worker to stop (`ConnectedWorker.stop()`). */
  readonly stopChannel: string;
}

/** What the parent posts on the worker's stop channel. */
export const STOP_REQUEST = 'tributary:node-worker:stop';

/** The key of the connection in `worker_threads` environment data and in the attach message. */
export const CONNECTION_KEY = 'tributary:node-worker:connection';

/** True when a value is a connection (from environment data or an attach message's key). */
export function isConnection(value: unknown): value is WorkerConnection {
  return typeof value === 'object' && value !== null && (value as WorkerConnection).buffer instanceof SharedArrayBuffer;
}

/** The connection in an attach message from `attachWorker()`, if it is one. */
export function connectionOf(message: unknown): WorkerConnection | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const connection = (message as Record<string, unknown>)[CONNECTION_KEY];
  return isConnection(connection) ? connection : undefined;
}

/** The connection for one worker: core's setup plus a fresh stop channel. */
export function connectionFor(setup: WorkerSetupMessage): WorkerConnection {
  return { ...setup, stopChannel: `tributary:node-worker:stop:${randomUUID()}` };
}

/** Asks the worker to stop on its stop channel (which keeps no thread alive), closed at the worker's exit. */
export function requestStop(connection: WorkerConnection, worker: Worker): void {
  const channel = new BroadcastChannel(connection.stopChannel);
  channel.unref();
  channel.postMessage(STOP_REQUEST);
  worker.once('exit', () => channel.close());
}
