import { startTimer, stopTimer } from '@tributary/core/sink';

/** Lets callers wait, with a bound, for the next change of something (a request settled, the buffer emptied). */
export class ProgressSignal {
  private waiters: (() => void)[] = [];

  /** Wakes every waiter. */
  notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves at the next {@link notify}, or after `timeoutMs`. */
  next(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = startTimer(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== wake);
        resolve();
      }, timeoutMs);
      const wake = (): void => {
        stopTimer(timer);
        resolve();
      };
      this.waiters.push(wake);
    });
  }

  /** Waits until `done()` holds, re-checking at each notify; true if it held within `timeoutMs`. */
  async until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.next(left);
    }
    return true;
  }
}
