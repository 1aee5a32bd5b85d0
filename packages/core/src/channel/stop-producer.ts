import { startTimer, stopTimer } from '../internal/host.ts';

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
