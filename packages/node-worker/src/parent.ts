import { randomUUID } from 'node:crypto';
import { Worker, setEnvironmentData } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import { createRingBuffer, createRingListenerEndpoint, politeStop, resolveStopTimeout } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import type { RingListenerEndpoint } from '@tributary/core/adapter';
import { CONNECTION_KEY, STOP_REQUEST } from './internal/connection.ts';
import type { WorkerConnection } from './internal/connection.ts';

/** Options of the ring between a worker and the listener. */
export interface WorkerChannelOptions {
  /** The worker's producer id. Default: `w<threadId>` (e.g. `w1`). */
  readonly producer?: string;
  /** Bytes of the worker's shared-memory ring (rounded up to a power of two). Default: 1 MiB. */
  readonly ringBytes?: number;
  /**
   * How long a log call in the worker may wait for room when the ring is full, in milliseconds,
   * before the record is dropped and counted. Default: the worker's `workerLogger()` option, else 1,000.
   */
  readonly waitTimeout?: number;
  /** How long {@link ConnectedWorker.stop} waits for the worker to finish before terminating it, in ms. Default: 5,000. */
  readonly stopTimeout?: number;
}

/** Options of {@link startWorker}: Node's own Worker options plus the channel's. */
export interface StartWorkerOptions extends WorkerOptions, WorkerChannelOptions {}

/** A worker wired to a listener. */
export interface ConnectedWorker {
  /** The Node worker. */
  readonly worker: Worker;
  /** Resolves with the exit code once the worker has exited and the listener has read all it left. */
  readonly exited: Promise<number>;
  /**
   * Asks the worker to flush and close its logger and end (`process.exit(0)` in the worker), waits
   * up to `stopTimeout`, then terminates it. Resolves with the exit code (0 when it ended as asked).
   * Idempotent. A worker that has not called `workerLogger()` yet does not hear the request and is
   * terminated after `stopTimeout`.
   */
  stop(): Promise<number>;
  /** Terminates the worker now (`worker.terminate()`); whatever its log calls returned from is still delivered. Resolves with the exit code. */
  terminate(): Promise<number>;
}

/**
 * Starts a `worker_threads` Worker whose `workerLogger()` writes into a shared-memory ring read by
 * `listener`. The worker's records are safe once each log call returned: `worker.terminate()`,
 * `process.exit()` or an uncaught exception in the worker loses none of them. Throws on bad options.
 */
export function startWorker(listener: QueueListener, filename: string | URL, options: StartWorkerOptions = {}): ConnectedWorker {
  const { producer, ringBytes, waitTimeout, stopTimeout, ...workerOptions } = options;
  const timeout = resolveStopTimeout(stopTimeout);
  const ring = createRingBuffer(ringBytes);
  const connection: WorkerConnection = {
    ring,
    stopChannel: newStopChannel(),
    ...(producer === undefined ? {} : { producer }),
    ...(waitTimeout === undefined ? {} : { waitTimeout }),
  };
  const endpoint = createRingListenerEndpoint(ring);
  let worker: Worker;
  setEnvironmentData(CONNECTION_KEY, connection as never);
  try {
    worker = new Worker(filename, workerOptions);
  } finally {
    setEnvironmentData(CONNECTION_KEY, undefined as never);
  }
  listener.attach(endpoint);
  return connected(worker, endpoint, connection, timeout);
}

/**
 * Wires a Worker that is already running to `listener`: sends it a ring, which its
 * `workerLogger()` picks up (records it logged before are kept in its memory until then). The
 * worker receives one message `{ 'tributary:node-worker:connection': … }` on its `parentPort`.
 * Throws on bad options.
 */
export function attachWorker(listener: QueueListener, worker: Worker, options: Omit<WorkerChannelOptions, 'producer'> = {}): ConnectedWorker {
  const timeout = resolveStopTimeout(options.stopTimeout);
  const ring = createRingBuffer(options.ringBytes);
  const connection: WorkerConnection = {
    ring,
    stopChannel: newStopChannel(),
    ...(options.waitTimeout === undefined ? {} : { waitTimeout: options.waitTimeout }),
  };
  const endpoint = createRingListenerEndpoint(ring);
  listener.attach(endpoint);
  const wired = connected(worker, endpoint, connection, timeout);
  worker.postMessage({ [CONNECTION_KEY]: connection });
  return wired;
}

function newStopChannel(): string {
  return `tributary:node-worker:stop:${randomUUID()}`;
}

/** Watches the worker's exit (the endpoint then reads what it left) and offers stop() and terminate(). */
function connected(worker: Worker, endpoint: RingListenerEndpoint, connection: WorkerConnection, stopTimeout: number): ConnectedWorker {
  let ended = false;
  const exited = new Promise<number>((resolve) => {
    worker.once('exit', (code) => {
      ended = true;
      endpoint.producerGone(`worker exited with code ${code}`);
      resolve(code);
    });
  });
  const terminate = async (): Promise<number> => {
    if (!ended) await worker.terminate();
    return exited;
  };
  const askToStop = (): void => {
    const channel = new BroadcastChannel(connection.stopChannel as string);
    channel.unref();
    channel.postMessage(STOP_REQUEST);
    void exited.then(() => channel.close());
  };
  return { worker, exited, stop: politeStop(exited, () => ended, askToStop, terminate, stopTimeout), terminate };
}
