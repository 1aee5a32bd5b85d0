/**
 * The one shape every adapter's parent side returns for a producer it started or attached: a
 * worker thread, a Web Worker, a child process. Applications stop and watch every kind the same way.
 */

/**
 * How a producer ended, as far as its parent can tell:
 * - `ended`: it finished on its own (its work ran out, `self.close()`, `process.exit(0)`);
 * - `stopped`: it finished when {@link ConnectedProducer.stop} asked it to;
 * - `terminated`: the parent ended it (`terminate()`, or `stop()` after `stopTimeout`);
 * - `crashed`: an uncaught error, or a non-zero exit code the parent did not cause;
 * - `killed`: a signal the parent did not send (child processes only).
 */
export type ProducerExitReason = 'ended' | 'stopped' | 'terminated' | 'crashed' | 'killed';

/** How a producer ended, and the last record the listener had from it. */
export interface ProducerExit {
  /** How it ended. */
  readonly reason: ProducerExitReason;
  /** Its exit code, where the runtime reports one (Node threads and processes, Bun workers). */
  readonly code?: number;
  /** The signal that ended it, for a child process ended by one (e.g. `SIGKILL`). */
  readonly signal?: string;
  /** The uncaught error's message, for `crashed` by an error. */
  readonly message?: string;
  /** The last sequence number the listener received from it; 0 when none arrived. */
  readonly lastSeq: number;
}

/** A producer wired to a listener, as every adapter returns it. */
export interface ConnectedProducer {
  /** The producer id its records carry (unique per listener). */
  readonly producer: string;
  /** Resolves once the producer has ended and the listener has read everything it handed over. */
  readonly exited: Promise<ProducerExit>;
  /**
   * Asks the producer to flush and end, waits up to `stopTimeout`, then terminates (or kills) it.
   * Resolves with how it ended. Idempotent.
   */
  stop(): Promise<ProducerExit>;
  /** Ends the producer now; whatever its log calls handed over is still delivered. Idempotent. */
  terminate(): Promise<ProducerExit>;
}
