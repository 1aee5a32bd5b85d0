/**
 * Chaos mode's choices, from a seed: which producers of a combination are killed, and when. The same
 * seed picks the same producers and the same moments (as a share of each producer's run); where
 * that moment falls between two log calls depends on the machine's speed, so the records written
 * before a kill still vary from run to run.
 */

/** A 32-bit seed for `--seed` when none is given. */
export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

/** A small seeded generator (mulberry32): numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The seed of the combination at `index` (0-based) of a run seeded with `seed`. */
export function combinationSeed(seed: number, index: number): number {
  return (seed + Math.imul(index + 1, 0x9e3779b9)) >>> 0;
}

/**
 * For each of `producers` producers, the share of its run (10% to 90%) after which it is killed, or
 * undefined for a producer left alone. Half of them (at least one) are killed.
 */
export function chooseKills(seed: number, producers: number): (number | undefined)[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: producers }, (_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [order[index], order[other]] = [order[other] as number, order[index] as number];
  }
  const kills: (number | undefined)[] = Array.from({ length: producers }, () => undefined);
  for (const index of order.slice(0, Math.max(1, Math.floor(producers / 2)))) kills[index] = 0.1 + random() * 0.8;
  return kills;
}

/**
 * The share (10% to 90%) of a combination's workload (`producers × records`, which the producers
 * left alone and the replacements of killed ones always log) after which the embedded OTLP
 * receiver is stopped and restarted. Drawn from its own stream of the seed, so it does not shift
 * the kills.
 */
export function chooseReceiverRestart(seed: number): number {
  return 0.1 + seededRandom((seed ^ 0x85ebca6b) >>> 0)() * 0.8;
}
