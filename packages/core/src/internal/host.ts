/**
 * The few host functions the core uses that ECMAScript itself does not define. Node, Deno and Bun all
 * provide them; they are reached through `globalThis` with feature checks so the core needs no
 * runtime's type definitions.
 */
interface HostGlobals {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
  queueMicrotask(callback: () => void): void;
  console?: { error(...values: unknown[]): void };
  process?: { pid?: number; once?(event: string, listener: () => void): unknown; off?(event: string, listener: () => void): unknown };
  Deno?: { pid?: number; unrefTimer?(id: number): void };
}

const host = globalThis as unknown as HostGlobals;

/** A timer that never keeps the process alive. */
export function startTimer(callback: () => void, milliseconds: number): unknown {
  const handle = host.setTimeout(callback, milliseconds);
  unrefTimer(handle);
  return handle;
}

/** Cancels a timer from {@link startTimer}. */
export function stopTimer(handle: unknown): void {
  if (handle !== undefined) host.clearTimeout(handle);
}

/** Lets a timer handle not keep the process alive, on each runtime's terms. */
export function unrefTimer(handle: unknown): void {
  if (typeof handle === 'object' && handle !== null && typeof (handle as { unref?: unknown }).unref === 'function') {
    (handle as { unref(): void }).unref();
  } else if (typeof handle === 'number' && typeof host.Deno?.unrefTimer === 'function') {
    host.Deno.unrefTimer(handle);
  }
}

/** Runs a callback after the current synchronous work, before any I/O. */
export function afterCurrentTask(callback: () => void): void {
  host.queueMicrotask(callback);
}

/** The current process id, or 0 where the runtime does not tell. */
export function currentPid(): number {
  const pid = host.process?.pid ?? host.Deno?.pid;
  return typeof pid === 'number' ? pid : 0;
}

/** Writes a diagnostic line to the host's console, if any, and never throws. */
export function reportToConsole(message: string): void {
  try {
    host.console?.error(message);
  } catch {
    // nothing left to report to
  }
}

/**
 * Calls `callback` synchronously when the process is about to exit (`process.on('exit')`, which
 * Node, Bun and Deno's process object provide). Returns a function that removes the hook.
 */
export function onProcessExit(callback: () => void): () => void {
  const process = host.process;
  if (typeof process?.once !== 'function') return () => {};
  process.once('exit', callback);
  return () => {
    process.off?.('exit', callback);
  };
}
