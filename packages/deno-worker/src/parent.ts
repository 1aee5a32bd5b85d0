import { STOP_MARK, connectWorker } from '@tributary/core/adapter';
import type { ConnectedWorker, WorkerChannelOptions, WorkerControl, WorkerEvents, WorkerSetupMessage } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { livenessLockName, watchLivenessLock, whenFlagRaised } from './internal/liveness.ts';
import { requireDeno } from './internal/runtime.ts';
import type { WorkerSetup } from './internal/setup.ts';
import type { StartWorkerOptions, WebWorker } from './options.ts';

const adapter = '@tributary/deno-worker';

/**
 * Starts a Deno Web Worker (`new Worker(url, { type: 'module' })`, named for its producer id) whose
 * `workerLogger()` writes into a shared-memory ring read by `listener`. Records are safe once each
 * log call returned: `self.close()`, `Deno.exit()`, `worker.terminate()` or an uncaught error loses
 * none of them. Throws on another runtime or bad options.
 */
export function startWorker(listener: QueueListener, url: string | URL, options: StartWorkerOptions = {}): ConnectedWorker<Worker> {
  requireDeno('startWorker()');
  const { deno, ...channel } = options;
  return connectWorker(listener, { adapter, started: true, ...channel }, (setup, events) =>
    watch(new Worker(url, { type: 'module', name: setup.producer, ...(deno === undefined ? {} : { deno }) } as WorkerOptions), setup, events),
  );
}

/**
 * Wires a Deno Web Worker that is already running to `listener`: sends it the setup message its
 * `workerLogger()` waits for (records it logged before are kept in its memory until then) and
 * watches for its end. The worker's producer id is its `workerLogger({ producer })`, else its name.
 * Throws on another runtime or bad options.
 */
export function attachWorker<W extends WebWorker>(listener: QueueListener, worker: W, options: WorkerChannelOptions = {}): ConnectedWorker<W> {
  requireDeno('attachWorker()');
  return connectWorker(listener, { adapter, started: false, ...options }, (setup, events) => watch(worker, setup, events));
}

/**
 * Deno's primitives. A Deno worker has no exit event: it holds a Web Lock for its life (see
 * internal/liveness.ts) and the lock's grant tells the parent it ended. The lock is the authority:
 * an error event or terminate() may come before the thread stopped.
 */
function watch<W extends WebWorker>(worker: W, base: WorkerSetupMessage, events: WorkerEvents): WorkerControl<W> {
  const setup: WorkerSetup = { ...base, lock: livenessLockName(), lockHeld: new SharedArrayBuffer(4) };
  const flag = new Int32Array(setup.lockHeld);
  const watching = new AbortController();
  const gone = (): void => {
    watching.abort();
    events.gone();
  };
  let watched = false;
  const watch = (): void => {
    if (watched) return;
    watched = true;
    watchLivenessLock(setup.lock, gone, watching.signal);
  };
  whenFlagRaised(flag, watch, watching.signal);
  /** After an error or terminate(): watch the lock if the worker took it, else it never will. */
  const endUnlessWatchable = (): void => (Atomics.load(flag, 0) !== 0 ? watch() : gone());
  worker.addEventListener('error', (event) => {
    events.error(String(event.message ?? 'unknown error'));
    endUnlessWatchable();
  });
  worker.postMessage(setup);
  const terminate = (): void => {
    worker.terminate();
    endUnlessWatchable();
  };
  return { worker, askToStop: () => worker.postMessage({ mark: STOP_MARK }), terminate };
}
