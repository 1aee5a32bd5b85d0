import process from 'node:process';

interface DenoSignals {
  addSignalListener(signal: string, handler: () => void): void;
  removeSignalListener(signal: string, handler: () => void): void;
}

/**
 * Calls `handler` on SIGHUP: `Deno.addSignalListener` on Deno, `process.on` on Node and Bun.
 * Returns a function that removes it. Does nothing where the platform has no SIGHUP (Windows).
 */
export function onHangup(handler: () => void): () => void {
  const deno = (globalThis as { Deno?: DenoSignals }).Deno;
  if (process.platform === 'win32') return () => {};
  if (deno !== undefined && typeof deno.addSignalListener === 'function') {
    deno.addSignalListener('SIGHUP', handler);
    return () => deno.removeSignalListener('SIGHUP', handler);
  }
  process.on('SIGHUP', handler);
  return () => {
    process.off('SIGHUP', handler);
  };
}

/** Calls `handler` synchronously when the process exits. Returns a function that removes it. */
export function onExit(handler: () => void): () => void {
  if (typeof process?.once !== 'function') return () => {};
  process.once('exit', handler);
  return () => {
    process.off('exit', handler);
  };
}
