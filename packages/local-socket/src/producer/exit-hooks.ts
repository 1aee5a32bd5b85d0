import { onProcessExit, onTerminationSignal } from '@tributary/core/adapter';
import type { QueueHandler } from '@tributary/core/adapter';
import type { ReconnectingEndpoint } from './reconnecting-endpoint.ts';

/**
 * The last write before the process goes. On `process.exit()`, an uncaught exception or the end of
 * the program (`process.on('exit')`), the batch waiting is written synchronously to the collector
 * with the goodbye (on Node and Bun straight into the kernel's socket buffer, which the collector
 * still reads after this process is gone). On each exit signal the waiting batch is written too;
 * when no handler of the application listens to that signal, the logger closes and the signal then
 * ends the process as it would have. Returns a function that removes the hooks.
 */
export function installExitHooks(handler: QueueHandler, endpoint: ReconnectingEndpoint, signals: readonly string[]): () => void {
  const removeExit = onProcessExit(() => handler.closeNow());
  const removeSignals = onTerminationSignal(signals, (_signal, alone) => {
    handler.sendPending();
    endpoint.drainSync();
    if (alone) handler.closeNow();
  });
  return () => {
    removeExit();
    removeSignals();
  };
}
