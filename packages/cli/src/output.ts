import type { Writable } from 'node:stream';

/** Thrown by {@link Output.write} once the reader of the output went away (`tributary pretty app.log | head`). */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

/**
 * The command's standard output: writes text and waits when the reader is behind, so a slow
 * terminal or pipe never makes memory grow without bound. A reader that goes away (EPIPE) ends the
 * command quietly.
 */
export class Output {
  private closed = false;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly stream: Writable) {
    stream.on('error', () => {
      // EPIPE and the like: the reader is gone.
      this.closed = true;
      for (const wake of this.waiters) wake();
    });
  }

  /** Whether the reader went away. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes `text`; resolves once the stream can take more. Rejects with {@link OutputClosedError} when the reader is gone. */
  async write(text: string): Promise<void> {
    if (this.closed) throw new OutputClosedError('the output was closed');
    if (text === '' || this.stream.write(text)) return;
    await new Promise<void>((resolve) => {
      const wake = (): void => {
        this.waiters.delete(wake);
        this.stream.off('drain', wake);
        resolve();
      };
      this.waiters.add(wake);
      this.stream.on('drain', wake);
    });
    if (this.closed) throw new OutputClosedError('the output was closed');
  }

  /** Resolves once everything written so far has been handed to the operating system. */
  end(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      if (this.stream.writableLength === 0) resolve();
      else this.stream.write('', () => resolve());
    });
  }
}
