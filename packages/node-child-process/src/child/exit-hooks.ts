import { onProcessExit, onTerminationSignal } from '@tributary/core/adapter';
import type { QueueHandler, StreamProducerEndpoint } from '@tributary/core/adapter';

/**
 * Makes exit safe: on `process.on('exit')` (a `process.exit()`, an uncaught exception, the end of
 * the program) everything batched is written synchronously and the listener is told goodbye. On each
 * exit signal, what is batched is written too; when no handler of the application listens to that
 * signal, the channel is closed and the signal then ends the process exactly as it would have
 * without this hook (the core's termination-signal watch raises it again).
 */
export function installExitHooks(handler: QueueHandler, channel: StreamProducerEndpoint, signals: readonly NodeJS.Signals[]): void {
  onProcessExit(() => handler.closeNow());
  onTerminationSignal(signals, (_signal, alone) => {
    handler.sendPending();
    channel.drainSync();
    if (alone) handler.closeNow();
  });
}
