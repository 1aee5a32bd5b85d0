import { onProcessExit } from '@tributary/core/adapter';
import type { QueueHandler, StreamProducerEndpoint } from '@tributary/core/adapter';

/**
 * Makes exit safe: on `process.on('exit')` (a `process.exit()`, an uncaught exception, the end of
 * the program) everything batched is written synchronously and the listener is told goodbye. On each
 * exit signal, what is batched is written too; when no other handler listens to that signal, the
 * channel is closed and the process re-raises the signal on itself, so it dies exactly as it would
 * have without this hook.
 */
export function installExitHooks(handler: QueueHandler, channel: StreamProducerEndpoint, signals: readonly NodeJS.Signals[]): void {
  onProcessExit(() => handler.closeNow());
  for (const signal of signals) {
    const onSignal = (): void => {
      handler.sendPending();
      channel.drainSync();
      if (process.listenerCount(signal) > 1) return;
      handler.closeNow();
      process.off(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
