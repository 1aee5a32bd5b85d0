import { Worker, setEnvironmentData } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';
import { connectWorker, describeThrown } from '@tributary/core/adapter';
import type { ConnectedWorker, WorkerChannelOptions, WorkerControl, WorkerEvents } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { CONNECTION_KEY, connectionFor, requestStop } from './internal/connection.ts';
import type { WorkerConnection } from './internal/connection.ts';
import { rethrowIfUnwatched } from './internal/errors.ts';

const adapter = '@tributary/node-worker';

/** Options of {@link startWorker}: Node's own Worker options plus the channel's. */
export interface StartWorkerOptions extends WorkerOptions, WorkerChannelOptions {}

/**
 * Starts a `worker_threads` Worker whose `workerLogger()` writes into a shared-memory ring read by
 * `listener` (given in its environment data: its first log call is already safe). `terminate()`,
 * `process.exit()` or an uncaught exception loses nothing a log call returned from. Throws on bad options.
 */
export function startWorker(listener: QueueListener, filename: string | URL, options: StartWorkerOptions = {}): ConnectedWorker<Worker> {
  const { producer, ringBytes, waitTimeout, stopTimeout, ...workerOptions } = options;
  return connectWorker(listener, { adapter, started: true, producer, ringBytes, waitTimeout, stopTimeout }, (setup, events) => {
    const connection = connectionFor(setup);
    setEnvironmentData(CONNECTION_KEY, connection as never);
    try {
      return watch(new Worker(filename, workerOptions), connection, events);
    } finally {
      setEnvironmentData(CONNECTION_KEY, undefined as never);
    }
  });
}

/**
 * Wires a Worker that is already running to `listener`: posts it one message
 * `{ 'tributary:node-worker:connection': … }` with its ring, which its `workerLogger()` picks up
 * (records it logged before are kept in its memory until then). Throws on bad options.
 */
export function attachWorker(listener: QueueListener, worker: Worker, options: WorkerChannelOptions = {}): ConnectedWorker<Worker> {
  return connectWorker(listener, { adapter, started: false, ...options }, (setup, events) => {
    const connection = connectionFor(setup);
    const control = watch(worker, connection, events);
    worker.postMessage({ [CONNECTION_KEY]: connection });
    return control;
  });
}

/** Node's primitives: the `error` and `exit` events, a stop request on a BroadcastChannel, `terminate()`. */
function watch(worker: Worker, connection: WorkerConnection, events: WorkerEvents): WorkerControl<Worker> {
  worker.on('error', (error) => {
    events.error(describeThrown(error));
    rethrowIfUnwatched(worker, error);
  });
  worker.once('exit', (code) => events.gone(code));
  return { worker, askToStop: () => requestStop(connection, worker), terminate: () => worker.terminate() };
}
