/**
 * The one host module: everything the core and the adapters need from the runtime that ECMAScript
 * itself does not define — which runtime this is, the process id, exit and signal hooks, the
 * environment, timers and the text codec. Node, Deno and Bun all provide them; they are reached
 * through `globalThis` with feature checks, so no package needs a runtime's type definitions and no
 * other file sniffs the runtime.
 */

/** The runtimes Tributary runs on. */
export type RuntimeKey = 'node' | 'deno' | 'bun';

/** A UTF-8 encoder, as the host's `TextEncoder` gives it. */
export interface HostTextEncoder {
  encode(text: string): Uint8Array;
  encodeInto(text: string, into: Uint8Array): { read: number; written: number };
}

/** A UTF-8 decoder, as the host's `TextDecoder` gives it. */
export interface HostTextDecoder {
  decode(bytes: Uint8Array, options?: { stream?: boolean }): string;
}

type Listener = (value?: unknown) => void;

interface HostProcess {
  pid?: number;
  stdout?: { isTTY?: boolean };
  platform?: string;
  env?: Record<string, string | undefined>;
  once?(event: string, listener: Listener): unknown;
  on?(event: string, listener: Listener): unknown;
  off?(event: string, listener: Listener): unknown;
  listenerCount?(event: string): number;
  kill?(pid: number, signal: string): unknown;
}

interface HostDeno {
  pid?: number;
  build?: { os?: string };
  unrefTimer?(id: number): void;
  addSignalListener?(signal: string, handler: Listener): void;
  removeSignalListener?(signal: string, handler: Listener): void;
  env?: { get(name: string): string | undefined };
  permissions?: { querySync?(descriptor: { name: 'env'; variable: string }): { state: string } };
  stdout?: { isTerminal?(): boolean };
}

interface HostGlobals {
  setTimeout(callback: () => void, milliseconds: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate?: (callback: () => void) => unknown;
  queueMicrotask(callback: () => void): void;
  TextEncoder: new () => HostTextEncoder;
  TextDecoder: new (label?: string) => HostTextDecoder;
  console?: { error(...values: unknown[]): void };
  process?: HostProcess;
  Deno?: HostDeno;
  Bun?: { version?: string };
}

interface HostVersions {
  Deno?: { version?: { deno?: string } };
  process?: { versions?: { node?: string } };
}

const host = globalThis as unknown as HostGlobals;

/** Which runtime this is, detected once when the module loads. */
export const runtime: RuntimeKey = host.Deno !== undefined ? 'deno' : host.Bun !== undefined ? 'bun' : 'node';

/** This runtime and its version as words for an error message, e.g. `Deno 2.9.0` or `Node.js 20.20.2`. */
export function runtimeDescription(): string {
  const versions = host as unknown as HostVersions;
  if (runtime === 'bun') return `Bun ${host.Bun?.version ?? ''}`.trim();
  if (runtime === 'deno') return `Deno ${versions.Deno?.version?.deno ?? ''}`.trim();
  const node = versions.process?.versions?.node;
  return node === undefined ? 'an unknown runtime' : `Node.js ${node}`;
}

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

/** A timer that DOES keep the process alive (for a flush someone awaits). */
export function startKeepAliveTimer(callback: () => void, milliseconds: number): unknown {
  return host.setTimeout(callback, milliseconds);
}

/** Cancels a timer from {@link startKeepAliveTimer}. */
export function stopKeepAliveTimer(handle: unknown): void {
  if (handle !== undefined) host.clearTimeout(handle);
}

/** Runs a callback after the current synchronous work, before any I/O. */
export function afterCurrentTask(callback: () => void): void {
  host.queueMicrotask(callback);
}

/** Resolves after pending I/O had its turn (setImmediate where there is one, else a zero timer). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof host.setImmediate === 'function') host.setImmediate(resolve);
    else host.setTimeout(resolve, 0);
  });
}

/** Resolves after `milliseconds`, on a timer that does not keep the process alive. */
export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => startTimer(resolve, milliseconds));
}

/** A new UTF-8 encoder. */
export function newTextEncoder(): HostTextEncoder {
  return new host.TextEncoder();
}

/** A new UTF-8 decoder. */
export function newTextDecoder(): HostTextDecoder {
  return new host.TextDecoder('utf-8');
}

/** The current process id, or 0 where the runtime does not tell. */
export function currentPid(): number {
  const pid = host.process?.pid ?? host.Deno?.pid;
  return typeof pid === 'number' ? pid : 0;
}

/**
 * Whether a process with id `pid` exists now: `process.kill(pid, 0)` (Node, Bun and Deno's process
 * object), true when it succeeds or is refused for lack of permission (EPERM: the process exists),
 * false when there is no such process (ESRCH). Undefined when the runtime cannot tell (no
 * `process.kill`, or another error). Never throws.
 */
export function processIsAlive(pid: number): boolean | undefined {
  const process = host.process;
  if (typeof process?.kill !== 'function' || !Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0 as unknown as string);
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ESRCH') return false;
    if (code === 'EPERM') return true;
    return undefined;
  }
}

/**
 * An environment variable, or undefined when it is not set or may not be read. On Deno the
 * permission is queried first, so a run without `--allow-env` reads nothing and never prompts.
 * Never throws.
 */
export function readEnvironment(name: string): string | undefined {
  try {
    const deno = host.Deno;
    if (runtime === 'deno' && deno?.env !== undefined) {
      const query = deno.permissions?.querySync;
      if (typeof query === 'function' && query.call(deno.permissions, { name: 'env', variable: name }).state !== 'granted') return undefined;
      return deno.env.get(name);
    }
    return host.process?.env?.[name];
  } catch {
    return undefined;
  }
}

/**
 * Whether the process's standard output is a terminal: `Deno.stdout.isTerminal()` on Deno,
 * `process.stdout.isTTY` on Node and Bun (asking sets stdout up as `console.log` would). False when
 * the runtime does not tell. Never throws.
 */
export function standardOutputIsTerminal(): boolean {
  try {
    if (runtime === 'deno' && typeof host.Deno?.stdout?.isTerminal === 'function') return host.Deno.stdout.isTerminal();
    return host.process?.stdout?.isTTY === true;
  } catch {
    return false;
  }
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
 * Node, Bun and Deno's process object provide). Returns a function that removes the hook. Never throws.
 */
export function onProcessExit(callback: () => void): () => void {
  const process = host.process;
  if (typeof process?.once !== 'function') return () => {};
  try {
    process.once('exit', callback);
  } catch {
    return () => {};
  }
  return () => {
    try {
      process.off?.('exit', callback);
    } catch {
      // already gone
    }
  };
}

/**
 * Calls `callback` with each worker this thread creates from now on, as the runtime hands it over
 * (`process.on('worker')`: Node's `worker_threads` Worker, Bun's Web Worker). Returns a remover, or
 * `undefined` where the runtime has no such event (Deno). Never throws.
 */
export function onWorkerCreated(callback: (worker: unknown) => void): (() => void) | undefined {
  const process = host.process;
  if (host.Deno !== undefined || typeof process?.on !== 'function') return undefined;
  try {
    process.on('worker', callback);
  } catch {
    return undefined;
  }
  return () => {
    try {
      process.off?.('worker', callback);
    } catch {
      // already gone
    }
  };
}

/**
 * Calls `handler` each time the process receives `signal` (e.g. `'SIGHUP'`, `'SIGTERM'`):
 * `Deno.addSignalListener` on Deno, `process.on` on Node and Bun. Returns a function that removes
 * it. Does nothing where the platform has no such signal (Windows, or a signal the runtime refuses);
 * never throws.
 */
export function onSignal(signal: string, handler: () => void): () => void {
  try {
    if (isWindows()) return () => {};
    const deno = host.Deno;
    if (runtime === 'deno' && typeof deno?.addSignalListener === 'function') {
      deno.addSignalListener(signal, handler);
      return () => quietly(() => deno.removeSignalListener?.(signal, handler));
    }
    const process = host.process;
    if (typeof process?.on !== 'function') return () => {};
    process.on(signal, handler);
    return () => quietly(() => process.off?.(signal, handler));
  } catch {
    return () => {};
  }
}

function isWindows(): boolean {
  return host.process?.platform === 'win32' || host.Deno?.build?.os === 'windows';
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // nothing to undo
  }
}

/** What a hook of {@link onTerminationSignal} is told: the signal, and whether Tributary is its only handler. */
export type TerminationSignalHook = (signal: string, alone: boolean) => void;

interface SignalWatch {
  readonly listener: Listener;
  readonly hooks: Set<TerminationSignalHook>;
}

/** One process listener per signal, shared by every hook (every listener, every child connection). */
const signalWatches = new Map<string, SignalWatch>();

/**
 * Runs `hook` when the process receives one of `signals` (e.g. SIGTERM, SIGINT, SIGHUP), through
 * one process listener per signal shared by all of Tributary (`process.on`, which Node, Bun and
 * Deno's process object provide), so that the application's own handlers can be told apart from
 * Tributary's. Each hook learns whether Tributary is the signal's only handler (`alone`). When it
 * is, Tributary's listener is removed after the hooks ran and the signal is raised again, so the
 * process ends exactly as it would have without Tributary (same signal, same exit status). When
 * the application has a handler too, the decision is the application's. Returns a function that
 * removes the hook (the last one removed gives the signal back to its default action). Does nothing
 * on Windows or where the runtime refuses the signal; never throws. Limit: a handler the application
 * registered with `Deno.addSignalListener` is not visible here, so on Deno it then receives the
 * signal a second time.
 */
export function onTerminationSignal(signals: readonly string[], hook: TerminationSignalHook): () => void {
  const process = host.process;
  if (isWindows() || typeof process?.on !== 'function') return () => {};
  const watched: string[] = [];
  for (const signal of signals) {
    let watch = signalWatches.get(signal);
    if (watch === undefined) {
      const listener = (): void => terminationSignal(signal);
      try {
        process.on(signal, listener);
      } catch {
        continue; // a signal this runtime refuses
      }
      watch = { listener, hooks: new Set() };
      signalWatches.set(signal, watch);
    }
    watch.hooks.add(hook);
    watched.push(signal);
  }
  return () => {
    for (const signal of watched) {
      const watch = signalWatches.get(signal);
      if (watch === undefined || !watch.hooks.delete(hook) || watch.hooks.size > 0) continue;
      unwatch(signal, watch);
    }
  };
}

function terminationSignal(signal: string): void {
  const watch = signalWatches.get(signal);
  if (watch === undefined) return;
  const process = host.process;
  const alone = (process?.listenerCount?.(signal) ?? 1) <= 1;
  for (const hook of [...watch.hooks]) quietly(() => hook(signal, alone));
  if (!alone) return;
  unwatch(signal, watch);
  quietly(() => process?.kill?.(currentPid(), signal));
}

function unwatch(signal: string, watch: SignalWatch): void {
  signalWatches.delete(signal);
  quietly(() => host.process?.off?.(signal, watch.listener));
}
