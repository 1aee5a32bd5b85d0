import { STOP_MARK, connectWorker } from '@tributary/core/adapter';
import type { ConnectedWorker, WorkerChannelOptions, WorkerControl, WorkerEvents } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { requireBun } from './internal/runtime.ts';
import { WORKER_DATA_KEY } from './internal/setup.ts';
import type { StartWorkerOptions, StartedWorker, WebWorker } from './options.ts';

const adapter = '@tributary/bun-worker';

/**
 * Starts a Bun Web Worker (`new Worker(url, { type: 'module' })`) whose `workerLogger()` writes into
 * a shared-memory ring read by `listener`. The ring travels in `workerData`, so the worker's first
 * log call is already safe: `process.exit()`, `worker.terminate()` or an uncaught error in the worker
 * loses nothing a log call returned from. Throws on another runtime or bad options.
 */
export function startWorker(
  listener: QueueListener,
  url: string | { readonly href: string },
  options: StartWorkerOptions = {},
): ConnectedWorker<StartedWorker> {
  requireBun('startWorker()');
  const { producer, ringBytes, waitTimeout, stopTimeout, workerData, ...workerOptions } = options;
  if (workerData !== undefined && (typeof workerData !== 'object' || workerData === null || Array.isArray(workerData))) {
    throw new TypeError(`${adapter}: workerData must be a plain object (the adapter adds its setup under "${WORKER_DATA_KEY}")`);
  }
  const WorkerClass = (globalThis as unknown as { Worker: new (url: string, options: object) => StartedWorker }).Worker;
  return connectWorker(listener, { adapter, started: true, producer, ringBytes, waitTimeout, stopTimeout }, (setup, events) => {
    const data = { ...workerData, [WORKER_DATA_KEY]: setup };
    return watch(new WorkerClass(typeof url === 'string' ? url : url.href, { ...workerOptions, type: 'module', workerData: data }), events);
  });
}

/**
 * Wires a Bun Web Worker that is already running to `listener`: sends it the setup message its
 * `workerLogger()` waits for (records it logged before are kept in its memory until then) and
 * watches its `close` event. Throws on another runtime or bad options.
 */
export function attachWorker<W extends WebWorker>(listener: QueueListener, worker: W, options: WorkerChannelOptions = {}): ConnectedWorker<W> {
  requireBun('attachWorker()');
  return connectWorker(listener, { adapter, started: false, ...options }, (setup, events) => {
    worker.postMessage(setup);
    return watch(worker, events);
  });
}

/** Bun's primitives: the `error` and `close` events (with the exit code), a stop message, `terminate()`. */
function watch<W extends WebWorker>(worker: W, events: WorkerEvents): WorkerControl<W> {
  worker.addEventListener('error', (event) => events.error(String(event.message ?? 'unknown error')));
  worker.addEventListener('close', (event) => events.gone(typeof event.code === 'number' ? event.code : undefined));
  return { worker, askToStop: () => worker.postMessage({ mark: STOP_MARK }), terminate: () => worker.terminate() };
}
