/**
 * What happened to the records meant for one sink, as the listener counted them (an entry of
 * `ListenerSummary.sinks`). The sink's own counters are its `stats` (`SinkStats`).
 */
export interface SinkSummary {
  /** The sink's name. */
  readonly name: string;
  /** Records the sink accepted (its write returned or resolved). */
  readonly written: number;
  /** Records dropped because the sink's queue was full, plus those the sink reported through `context.dropped`. */
  readonly dropped: number;
  /**
   * Records in batches whose write threw or rejected, those the sink reported through
   * `context.failed`, plus those a `stop()` gave up when the sink did not finish within
   * `stopTimeout` (still queued or in a write that never settled).
   */
  readonly failed: number;
  /** Records waiting in the sink's queue (0 after a stop() that gave them up, counted in `failed`). */
  readonly pending: number;
  /** Records in a write that has not returned yet (0 after a stop() that gave them up, counted in `failed`). */
  readonly writing: number;
}
