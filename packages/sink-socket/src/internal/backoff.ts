/** Reconnection delays: `initial`, then × `factor` each time, never above `max`. */
export class Backoff {
  private current: number;

  constructor(
    private readonly initial: number,
    private readonly max: number,
    private readonly factor: number,
  ) {
    this.current = initial;
  }

  /** The wait before the next attempt; each call lengthens the following one. */
  next(): number {
    const wait = this.current;
    this.current = Math.min(this.max, Math.round(this.current * this.factor));
    return wait;
  }

  /** After a successful connection: start again from `initial`. */
  reset(): void {
    this.current = this.initial;
  }
}
