/** Something that can be told, once the sinks have it, that everything up to `seq` is written. */
export interface AckTarget {
  deliverAck(seq: number): void;
}

/**
 * Holds the listener's acknowledgements back until the sinks have written what they acknowledge:
 * an ack then means "written", so a producer frees a record only once a crash of the collector can
 * no longer lose it. One flush of the listener at a time serves every connection's latest ack.
 */
export class AckGate {
  private pending = new Map<AckTarget, number>();
  /** Connections gone while their round's flush ran. */
  private readonly gone = new WeakSet<AckTarget>();
  private running: Promise<void> | undefined;

  /** `flush` resolves true once everything handed to the sinks so far is written. */
  constructor(private readonly flush: () => Promise<boolean>) {}

  /** The listener acknowledged `seq` on `target`: it goes out after the next completed flush. */
  hold(target: AckTarget, seq: number): void {
    const held = this.pending.get(target);
    if (held === undefined || seq > held) this.pending.set(target, seq);
    this.running ??= this.run();
  }

  /** The connection is gone: nothing more goes to it. */
  forget(target: AckTarget): void {
    this.pending.delete(target);
    this.gone.add(target);
  }

  /** Resolves once every ack held so far went out (or its flush failed). */
  async settle(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async run(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const round = this.pending;
        this.pending = new Map();
        const written = await this.flush().catch(() => false);
        if (!written) {
          // Not confirmed in time: keep the acks for the next round (newer ones win).
          for (const [target, seq] of round) if (!this.pending.has(target) && !this.gone.has(target)) this.pending.set(target, seq);
          return;
        }
        for (const [target, seq] of round) if (!this.gone.has(target)) target.deliverAck(seq);
      }
    } finally {
      this.running = undefined;
    }
  }
}
