import { startTimer, stopTimer } from '../internal/host.ts';
import { checkInteger } from '../queue/handler-options.ts';

/** The default of the adapters' `stopTimeout` option, in milliseconds. */
export const DEFAULT_STOP_TIMEOUT = 5_000;

/**
 * An adapter's `stopTimeout` option (how long `stop()` waits before terminating), checked at
 * configuration time: an integer ≥ 1 in milliseconds, else a RangeError. Default: 5,000.
 */
export function resolveStopTimeout(stopTimeout: unknown = DEFAULT_STOP_TIMEOUT): number {
  return checkInteger(stopTimeout, 'stopTimeout', 1);
}

/**
 * Stops a producer the polite way, for adapters: ask it to finish (`ask`), wait up to `timeout`
 * milliseconds for it to end (`ended`), then `terminate()` it. Resolves with how it ended.
 */
export async function askThenTerminate<T>(ended: Promise<T>, ask: () => void, terminate: () => Promise<T>, timeout: number): Promise<T> {
  ask();
  let timer: unknown;
  const outcome = await Promise.race([
    ended.then((value) => ({ value })),
    new Promise<undefined>((resolve) => {
      timer = startTimer(() => resolve(undefined), timeout);
    }),
  ]);
  stopTimer(timer);
  return outcome === undefined ? terminate() : outcome.value;
}

/**
 * An adapter's `stop()`: the first call asks the producer to finish and terminates it after
 * `timeout` milliseconds (see {@link askThenTerminate}); every call resolves with how it ended. When
 * the producer had already ended (`hasEnded()`), stopping just resolves with that.
 */
export function politeStop<T>(ended: Promise<T>, hasEnded: () => boolean, ask: () => void, terminate: () => Promise<T>, timeout: number): () => Promise<T> {
  let stopping: Promise<T> | undefined;
  return () => (stopping ??= hasEnded() ? ended : askThenTerminate(ended, ask, terminate, timeout));
}
