/** What the parent hands a worker so it can log into its ring. */
export interface WorkerConnection {
  /** The worker's ring, from `createRingBuffer()`. */
  readonly ring: SharedArrayBuffer;
  /** The producer id the parent chose, if it chose one. */
  readonly producer?: string;
  /** The ring's wait timeout the parent chose, if it chose one. */
  readonly waitTimeout?: number;
  /** The `BroadcastChannel` on which the parent asks the worker to stop (`ConnectedWorker.stop()`). */
  readonly stopChannel?: string;
}

/** What the parent posts on the worker's stop channel. */
export const STOP_REQUEST = 'tributary:node-worker:stop';

/** The key of the connection in `worker_threads` environment data and in the attach message. */
export const CONNECTION_KEY = 'tributary:node-worker:connection';

/** True when a value is an attach message from {@link attachWorker}. */
export function connectionOf(message: unknown): WorkerConnection | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const connection = (message as Record<string, unknown>)[CONNECTION_KEY];
  if (connection === null || typeof connection !== 'object') return undefined;
  return (connection as WorkerConnection).ring instanceof SharedArrayBuffer ? (connection as WorkerConnection) : undefined;
}
