/**
 * How the parent learns that a Deno worker is gone. A Deno `Worker` has no `exit` or `close` event,
 * and `self.close()`, `Deno.exit()` in a worker and `worker.terminate()` raise nothing at all in the
 * parent. Web Locks fill the gap: as soon as the setup message arrives, the worker takes an exclusive
 * lock named for its channel and holds it for its whole life, then raises a flag in shared memory;
 * Deno releases a worker's locks when the worker ends, for any reason. Once the flag is up the parent
 * asks for the same lock: the grant means the worker is gone. (Asking earlier could win the lock
 * before the worker.) Measured on Deno 2.9: the grant follows the worker's end by a few
 * milliseconds; a worker stuck in a synchronous loop keeps its lock (it is alive, not dead).
 */
interface LockManager {
  request(name: string, options: { mode: 'exclusive'; signal?: AbortSignal }, callback: (lock: unknown) => unknown): Promise<unknown>;
  request(name: string, callback: (lock: unknown) => unknown): Promise<unknown>;
}

function lockManager(): LockManager {
  return (globalThis as unknown as { navigator: { locks: LockManager } }).navigator.locks;
}

/** A fresh lock name for one worker's channel. */
export function livenessLockName(): string {
  return `tributary:worker:${crypto.randomUUID()}`;
}

/**
 * Worker side: takes the lock and keeps it until the worker ends, then calls `held`. Deno grants an
 * uncontended lock within the `request()` call, so `held` usually runs before this returns; the
 * Web Locks contract does not promise that, and nothing here relies on it.
 */
export function holdLivenessLock(name: string, held: () => void): void {
  lockManager()
    .request(name, () => {
      held();
      return new Promise<never>(() => {});
    })
    .catch(() => {
      // a lock request fails only if the worker is going away
    });
}

interface WaitAsync {
  (array: Int32Array, index: number, value: number, timeout: number): { readonly async: boolean; readonly value: Promise<unknown> | string };
}

/**
 * Parent side: calls `raised` once `flag[0]` is non-zero (the worker holds its lock), waiting with
 * `Atomics.waitAsync`, which keeps no process alive. `signal` stops the wait.
 */
export function whenFlagRaised(flag: Int32Array, raised: () => void, signal: AbortSignal): void {
  const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;
  const check = (): void => {
    if (signal.aborted) return;
    if (Atomics.load(flag, 0) !== 0) return raised();
    const result = waitAsync(flag, 0, 0, 1_000);
    if (result.async) void (result.value as Promise<unknown>).then(check);
    else check();
  };
  check();
}

/** Worker side: raises the flag and wakes the parent. */
export function raiseFlag(flag: Int32Array): void {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

/**
 * Parent side: calls `gone` once the worker that holds `name` has ended. `signal` withdraws the
 * request (the parent no longer cares). Call only after the worker holds the lock.
 */
export function watchLivenessLock(name: string, gone: () => void, signal: AbortSignal): void {
  lockManager()
    .request(name, { mode: 'exclusive', signal }, () => {
      if (!signal.aborted) gone();
    })
    .catch(() => {
      // aborted: nobody is waiting any more
    });
}

/** The parent's watch over one worker's life: see {@link watchWorkerLife}. */
export interface WorkerLife {
  /** What the worker must be told: the lock it holds and the flag it raises once it holds it. */
  readonly lock: string;
  readonly lockHeld: SharedArrayBuffer;
  /**
   * After an error event or terminate(): watches the lock if the worker took it (the lock is the
   * authority, the thread may still run), else the worker never will and it counts as gone now.
   */
  endingSoon(): void;
}

/** Calls `gone` once, when the worker that is told `lock`/`lockHeld` has ended. */
export function watchWorkerLife(gone: () => void): WorkerLife {
  const lock = livenessLockName();
  const lockHeld = new SharedArrayBuffer(4);
  const flag = new Int32Array(lockHeld);
  const watching = new AbortController();
  const ended = (): void => {
    watching.abort();
    gone();
  };
  let watched = false;
  const watch = (): void => {
    if (watched) return;
    watched = true;
    watchLivenessLock(lock, ended, watching.signal);
  };
  // Once the worker raised the flag it holds its lock: from then on, a granted lock means it ended.
  whenFlagRaised(flag, watch, watching.signal);
  return { lock, lockHeld, endingSoon: () => (Atomics.load(flag, 0) !== 0 ? watch() : ended()) };
}
