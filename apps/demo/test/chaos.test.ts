import { describe, expect, test } from 'vitest';
import { chooseKills, chooseReceiverRestart, combinationSeed, seededRandom } from '../src/chaos.ts';
import { demoUsage, parseDemoOptions } from '../src/options.ts';

const known = { adapters: ['node-worker', 'in-process'], sinks: ['file', 'stdout'] };

describe('chaos choices', () => {
  test('the same seed gives the same sequence, another seed another one', () => {
    const first = seededRandom(42);
    const again = seededRandom(42);
    const other = seededRandom(43);
    const a = Array.from({ length: 5 }, first);
    expect(Array.from({ length: 5 }, again)).toEqual(a);
    expect(Array.from({ length: 5 }, other)).not.toEqual(a);
    for (const value of a) expect(value >= 0 && value < 1).toBe(true);
  });

  test('half the producers, at least one, each at a share between 10% and 90%', () => {
    for (let seed = 0; seed < 200; seed++) {
      for (const producers of [1, 2, 3, 4, 8]) {
        const kills = chooseKills(seed, producers);
        expect(kills).toHaveLength(producers);
        const chosen = kills.filter((share) => share !== undefined);
        expect(chosen).toHaveLength(Math.max(1, Math.floor(producers / 2)));
        for (const share of chosen) expect(share >= 0.1 && share < 0.9).toBe(true);
      }
    }
    expect(chooseKills(7, 4)).toEqual(chooseKills(7, 4));
  });

  test('over many seeds every producer gets killed sometimes', () => {
    const hits = [0, 0, 0, 0];
    for (let seed = 0; seed < 100; seed++) chooseKills(seed, 4).forEach((share, index) => (hits[index] = (hits[index] ?? 0) + (share === undefined ? 0 : 1)));
    for (const count of hits) expect(count).toBeGreaterThan(20);
  });

  test('the OTLP receiver restarts at a share between 10% and 90%, the same for the same seed, spread over seeds', () => {
    const shares = Array.from({ length: 200 }, (_, seed) => chooseReceiverRestart(seed));
    for (const share of shares) expect(share >= 0.1 && share < 0.9).toBe(true);
    expect(shares.filter((share) => share < 0.5).length).toBeGreaterThan(50);
    expect(shares.filter((share) => share >= 0.5).length).toBeGreaterThan(50);
    expect(chooseReceiverRestart(7)).toBe(chooseReceiverRestart(7));
  });

  test('each combination of a run has its own seed, the same in every run', () => {
    expect(combinationSeed(5, 0)).not.toBe(combinationSeed(5, 1));
    expect(combinationSeed(5, 1)).toBe(combinationSeed(5, 1));
  });
});

describe('demo options', () => {
  test('--seed is kept; without it a seed is chosen', () => {
    expect(parseDemoOptions(['--seed', '123'], known).seed).toBe(123);
    const seed = parseDemoOptions([], known).seed;
    expect(Number.isSafeInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
  });

  test('a bad --seed is a clear error', () => {
    expect(() => parseDemoOptions(['--seed', 'x'], known)).toThrow('--seed must be an integer from 0 to 4294967295; got "x"');
    expect(() => parseDemoOptions(['--seed=-1'], known)).toThrow('--seed must be an integer');
  });

  test('-h and --help; the usage names every option', () => {
    expect(parseDemoOptions(['-h'], known).help).toBe(true);
    expect(parseDemoOptions(['--help'], known).help).toBe(true);
    const usage = demoUsage(known);
    for (const flag of ['--adapter', '--sink', '--producers', '--records', '--out', '--chaos', '--seed', '--collector', '--compare-naive', '--json', '--help'])
      expect(usage).toContain(flag);
    expect(usage).toContain('node-worker, in-process');
  });
});
