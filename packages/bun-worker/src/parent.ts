import { createRingBuffer, createRingListenerEndpoint, politeStop, resolveStopTimeout } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { requireBun } from './internal/runtime.ts';
import { SETUP_MARK, STOP_MARK, WORKER_DATA_KEY } from './internal/setup.ts';
import type { WorkerSetup } from './internal/setup.ts';
import type { ConnectedWorker, StartWorkerOptions, StartedWorker, WebWorker, WorkerChannelOptions, WorkerExit } from './options.ts';

/**
 * Starts a Bun Web Worker (`new Worker(url, { type: 'module' })`) whose `workerLogger()` writes into
 * a shared-memory ring read by `listener`. The ring travels in `workerData`, so the worker's first
 * log call is already safe: `process.exit()`, `worker.terminate()` or an uncaught error in the worker
 * loses nothing a log call returned from. Throws on another runtime or bad options.
 */
export function startWorker(listener: QueueListener, url: string | { readonly href: string }, options: StartWorkerOptions = {}): ConnectedWorker {
  requireBun('startWorker()');
  const { producer, ringBytes, waitTimeout, stopTimeout, workerData, ...workerOptions } = options;
  if (producer !== undefined && (typeof producer !== 'string' || producer === '')) throw new TypeError('@tributary/bun-worker: producer must be a non-empty string');
  if (workerData !== undefined && (typeof workerData !== 'object' || workerData === null || Array.isArray(workerData))) {
    throw new TypeError('@tributary/bun-worker: workerData must be a plain object (the adapter adds its setup under "__tributary")');
  }
  const channel = { ...(ringBytes === undefined ? {} : { ringBytes }), ...(waitTimeout === undefined ? {} : { waitTimeout }), ...(stopTimeout === undefined ? {} : { stopTimeout }) };
  const WorkerClass = (globalThis as unknown as { Worker: new (url: string, options: object) => StartedWorker }).Worker;
  return wire(listener, channel, producer, (setup) => new WorkerClass(typeof url === 'string' ? url : url.href, { ...workerOptions, type: 'module', workerData: { ...workerData, [WORKER_DATA_KEY]: setup } }));
}

/**
 * Wires a Bun Web Worker that is already running to `listener`: sends it the setup message its
 * `workerLogger()` waits for (records it logged before are kept in its memory until then) and
 * watches its `close` event. Throws on another runtime or bad options.
 */
export function attachWorker<W extends WebWorker>(listener: QueueListener, worker: W, options: WorkerChannelOptions = {}): ConnectedWorker<W> {
  requireBun('attachWorker()');
  return wire(listener, options, undefined, (setup) => {
    worker.postMessage(setup);
    return worker;
  });
}

function wire<W extends WebWorker>(listener: QueueListener, options: WorkerChannelOptions, producer: string | undefined, start: (setup: WorkerSetup) => W): ConnectedWorker<W> {
  const stopTimeout = resolveStopTimeout(options.stopTimeout);
  const buffer = createRingBuffer(options.ringBytes);
  const endpoint = createRingListenerEndpoint(buffer);
  let stopRequested = false;
  let terminated = false;
  let errorMessage: string | undefined;
  let ending: WorkerExit | undefined;
  let resolveExited: (exit: WorkerExit) => void = () => {};
  const exited = new Promise<WorkerExit>((resolve) => {
    resolveExited = resolve;
  });
  /** Bun's `close` event: the worker is gone; read what it left in the ring and end its channel. */
  const ended = (code: number | undefined): void => {
    if (ending !== undefined) return;
    const reason = errorMessage !== undefined ? 'uncaught error' : terminated ? 'terminated' : stopRequested ? 'stopped' : 'exited';
    const exit: WorkerExit = { reason, ...(code === undefined ? {} : { code }), ...(errorMessage === undefined ? {} : { message: errorMessage }) };
    ending = exit;
    endpoint.producerGone(`worker ${reason}${code === undefined ? '' : ` with code ${code}`}${errorMessage === undefined ? '' : `: ${errorMessage}`}`);
    resolveExited(exit);
  };

  listener.attach(endpoint);
  const setup: WorkerSetup = {
    mark: SETUP_MARK,
    version: 1,
    buffer,
    ...(producer === undefined ? {} : { producer }),
    ...(options.waitTimeout === undefined ? {} : { waitTimeout: options.waitTimeout }),
  };
  const worker = start(setup);
  worker.addEventListener('error', (event) => {
    errorMessage ??= String(event.message ?? 'unknown error');
  });
  worker.addEventListener('close', (event) => ended(typeof event.code === 'number' ? event.code : undefined));

  const terminate = (): Promise<WorkerExit> => {
    if (ending === undefined) {
      terminated = true;
      worker.terminate();
    }
    return exited;
  };
  const askToStop = (): void => {
    stopRequested = true;
    worker.postMessage({ mark: STOP_MARK });
  };
  const stop = politeStop(exited, () => ending !== undefined, askToStop, terminate, stopTimeout);
  return { worker, exited, stop, terminate };
}
