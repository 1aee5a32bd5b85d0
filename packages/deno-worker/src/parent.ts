import { STOP_MARK, connectWorker } from '@tributary/core/adapter';
import type { ConnectedWorker, WorkerChannelOptions, WorkerControl, WorkerEvents, WorkerSetupMessage } from '@tributary/core/adapter';
import type { QueueListener } from '@tributary/core';
import { watchWorkerLife } from './internal/liveness.ts';
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

/** Deno's primitives: a Web Lock held for the worker's life (it has no exit event), the error event, a stop message. */
function watch<W extends WebWorker>(worker: W, setup: WorkerSetupMessage, events: WorkerEvents): WorkerControl<W> {
  const life = watchWorkerLife(() => events.gone());
  worker.addEventListener('error', (event) => {
    events.error(String(event.message ?? 'unknown error'));
    life.endingSoon();
  });
  const message: WorkerSetup = { ...setup, lock: life.lock, lockHeld: life.lockHeld };
  worker.postMessage(message);
  const terminate = (): void => {
    worker.terminate();
    life.endingSoon();
  };
  return { worker, askToStop: () => worker.postMessage({ mark: STOP_MARK }), terminate };
}
