import { onProcessExit, onSignal } from '@tributary/core/sink';

/**
 * Calls `handler` on SIGHUP (through core's host module, on every runtime). Returns a function that
 * removes it. Does nothing where the platform has no SIGHUP (Windows).
 */
export function onHangup(handler: () => void): () => void {
  return onSignal('SIGHUP', handler);
}

/** Calls `handler` synchronously when the process exits. Returns a function that removes it. */
export const onExit: (handler: () => void) => () => void = onProcessExit;
