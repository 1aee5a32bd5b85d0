/** Bounds of the reconnect delay. */
export interface BackoffBounds {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first after a loss): exponential from
 * `minDelayMs`, capped at `maxDelayMs`, with full jitter over its upper half so that many producers
 * that lost the same collector do not all come back at the same moment.
 */
export function reconnectDelayMs(attempt: number, bounds: BackoffBounds, random: () => number = Math.random): number {
  const ceiling = Math.min(bounds.maxDelayMs, bounds.minDelayMs * 2 ** Math.min(attempt, 30));
  return Math.max(bounds.minDelayMs, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}
