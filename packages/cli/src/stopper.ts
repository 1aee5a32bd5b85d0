/**
 * Ctrl-C for the command: the first SIGINT asks the inputs to stop (files end after a last read; a
 * piped standard input is still read to its end), a second one forces everything to stop at once.
 */
export class Stopper {
  private requested = false;
  private forcedStop = false;
  private readonly wakers = new Set<() => void>();

  /** True after the first stop request. */
  get stopped(): boolean {
    return this.requested;
  }

  /** True after the second one. */
  get forced(): boolean {
    return this.forcedStop;
  }

  /** One more SIGINT. */
  request(): void {
    if (this.requested) this.forcedStop = true;
    this.requested = true;
    for (const wake of [...this.wakers]) wake();
  }

  /** Resolves after `milliseconds`, or at once when a stop is requested. */
  sleep(milliseconds: number): Promise<void> {
    if (this.requested) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, milliseconds);
      this.wakers.add(wake);
    });
  }

  /** Calls `callback` on every later stop request; returns a function that removes it. */
  onRequest(callback: () => void): () => void {
    this.wakers.add(callback);
    return () => this.wakers.delete(callback);
  }
}
