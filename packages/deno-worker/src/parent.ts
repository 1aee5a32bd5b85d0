import { createRingBuffer, createRingListenerEndpoint, politeStop, resolveStopTimeout } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { livenessLockName, watchLivenessLock, whenFlagRaised } from './internal/liveness.ts';
import { requireDeno } from './internal/runtime.ts';
import { SETUP_MARK, STOP_MARK } from './internal/setup.ts';
import type { WorkerSetup } from './internal/setup.ts';
import type { ConnectedWorker, StartWorkerOptions, WebWorker, WorkerChannelOptions, WorkerExit } from './options.ts';

let nextProducer = 1;

/**
 * Starts a Deno Web Worker (`new Worker(url, { type: 'module' })`) whose `workerLogger()` writes
 * into a shared-memory ring read by `listener`. Records are safe once each log call returned:
 * `self.close()`, `Deno.exit()`, `worker.terminate()` or an uncaught error loses none of them.
 * Throws on another runtime or bad options.
 */
export function startWorker(listener: QueueListener, url: string | URL, options: StartWorkerOptions = {}): ConnectedWorker {
  requireDeno('startWorker()');
  const { producer = `deno-${nextProducer++}`, deno, ...channel } = options;
  if (typeof producer !== 'string' || producer === '') throw new TypeError('@tributary/deno-worker: producer must be a non-empty string');
  checkChannelOptions(channel);
  const worker = new Worker(url, { type: 'module', name: producer, ...(deno === undefined ? {} : { deno }) } as WorkerOptions);
  return wire(listener, worker, channel, producer);
}

/**
 * Wires a Deno Web Worker that is already running to `listener`: sends it the setup message its
 * `workerLogger()` waits for (records it logged before are kept in its memory until then) and
 * watches for its end. The worker's producer id is its `workerLogger({ producer })`, else its name.
 * Throws on another runtime or bad options.
 */
export function attachWorker<W extends WebWorker>(listener: QueueListener, worker: W, options: WorkerChannelOptions = {}): ConnectedWorker<W> {
  requireDeno('attachWorker()');
  checkChannelOptions(options);
  return wire(listener, worker, options, undefined);
}

function checkChannelOptions(options: WorkerChannelOptions): void {
  resolveStopTimeout(options.stopTimeout);
}

function wire<W extends WebWorker>(listener: QueueListener, worker: W, options: WorkerChannelOptions, producer: string | undefined): ConnectedWorker<W> {
  const stopTimeout = resolveStopTimeout(options.stopTimeout);
  const lock = livenessLockName();
  const lockHeld = new SharedArrayBuffer(4);
  const watching = new AbortController();
  let watched = false;
  let stopRequested = false;
  let terminated = false;
  let errorMessage: string | undefined;
  let ending: WorkerExit | undefined;
  let resolveExited: (exit: WorkerExit) => void = () => {};
  const exited = new Promise<WorkerExit>((resolve) => {
    resolveExited = resolve;
  });

  /** The worker is gone: read what it left in the ring, end its channel, settle `exited`. */
  const ended = (): void => {
    if (ending !== undefined) return;
    const reason = errorMessage !== undefined ? 'uncaught error' : terminated ? 'terminated' : stopRequested ? 'stopped' : 'ended';
    const exit: WorkerExit = errorMessage === undefined ? { reason } : { reason, message: errorMessage };
    ending = exit;
    watching.abort();
    endpoint.producerGone(errorMessage === undefined ? `worker ${reason}` : `worker ${reason}: ${errorMessage}`);
    resolveExited(exit);
  };
  const buffer = createRingBuffer(options.ringBytes);
  const endpoint = createRingListenerEndpoint(buffer);
  listener.attach(endpoint);
  // Once the worker raised the flag it holds its lock: from then on, a granted lock means it ended.
  // The lock is the authority: an error event or terminate() may come before the thread stopped.
  const flag = new Int32Array(lockHeld);
  const watch = (): void => {
    if (watched) return;
    watched = true;
    watchLivenessLock(lock, ended, watching.signal);
  };
  whenFlagRaised(flag, watch, watching.signal);
  /** After an error or terminate(): watch the lock if the worker took it, else it never will. */
  const endUnlessWatchable = (): void => {
    if (Atomics.load(flag, 0) !== 0) watch();
    else ended();
  };
  worker.addEventListener('error', (event) => {
    errorMessage ??= String(event.message ?? 'unknown error');
    endUnlessWatchable();
  });

  const setup: WorkerSetup = {
    mark: SETUP_MARK,
    version: 1,
    buffer,
    lock,
    lockHeld,
    ...(producer === undefined ? {} : { producer }),
    ...(options.waitTimeout === undefined ? {} : { waitTimeout: options.waitTimeout }),
  };
  worker.postMessage(setup);

  const terminate = (): Promise<WorkerExit> => {
    if (ending === undefined) {
      terminated = true;
      worker.terminate();
      endUnlessWatchable();
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
