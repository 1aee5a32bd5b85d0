import { Worker, setEnvironmentData } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import { createRingBuffer, createRingListenerEndpoint } from '@tributary/core';
import type { QueueListener } from '@tributary/core';
import { CONNECTION_KEY } from './internal/connection.ts';
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
}

/** Options of {@link startWorker}: Node's own Worker options plus the channel's. */
export interface StartWorkerOptions extends WorkerOptions, WorkerChannelOptions {}

/** A worker wired to a listener. */
export interface ConnectedWorker {
  /** The Node worker. */
  readonly worker: Worker;
  /** Resolves with the exit code once the worker has exited and the listener has read all it left. */
  readonly exited: Promise<number>;
}

/**
 * Starts a `worker_threads` Worker whose `workerLogger()` writes into a shared-memory ring read by
 * `listener`. The worker's records are safe once each log call returned: `worker.terminate()`,
 * `process.exit()` or an uncaught exception in the worker loses none of them.
 */
export function startWorker(listener: QueueListener, filename: string | URL, options: StartWorkerOptions = {}): ConnectedWorker {
  const { producer, ringBytes, waitTimeout, ...workerOptions } = options;
  const ring = createRingBuffer(ringBytes);
  const connection: WorkerConnection = {
    ring,
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
  return { worker, exited: watchExit(worker, (reason) => endpoint.producerGone(reason)) };
}

/**
 * Wires a Worker that is already running to `listener`: sends it a ring, which its
 * `workerLogger()` picks up (records it logged before are kept in its memory until then). The
 * worker receives one message `{ 'tributary:node-worker:connection': … }` on its `parentPort`.
 */
export function attachWorker(listener: QueueListener, worker: Worker, options: Omit<WorkerChannelOptions, 'producer'> = {}): ConnectedWorker {
  const ring = createRingBuffer(options.ringBytes);
  const connection: WorkerConnection = { ring, ...(options.waitTimeout === undefined ? {} : { waitTimeout: options.waitTimeout }) };
  const endpoint = createRingListenerEndpoint(ring);
  listener.attach(endpoint);
  const exited = watchExit(worker, (reason) => endpoint.producerGone(reason));
  worker.postMessage({ [CONNECTION_KEY]: connection });
  return { worker, exited };
}

function watchExit(worker: Worker, gone: (reason: string) => void): Promise<number> {
  return new Promise((resolve) => {
    worker.once('exit', (code) => {
      gone(`worker exited with code ${code}`);
      resolve(code);
    });
  });
}
