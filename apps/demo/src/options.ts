import { parseArgs } from 'node:util';
import { randomSeed } from './chaos.ts';

/** The demo's command line, as documented in the README. */
export interface DemoOptions {
  readonly adapters: readonly string[];
  readonly sinks: readonly string[];
  readonly producers: number;
  readonly records: number;
  readonly out: string;
  readonly chaos: boolean;
  /** Picks which producers chaos mode kills and when; random unless `--seed` is given. */
  readonly seed: number;
  readonly json: boolean;
  readonly collector: 'embedded' | 'rsyslog';
  /** Also run the workload the naive way (every process rotating one file itself) for comparison. */
  readonly compareNaive: boolean;
  /** `--scenario`: the adapter × sink matrix, the seed scenario (a process pool with a worker killed), or both. */
  readonly scenario: 'all' | 'matrix' | 'seed';
  /** `--help`/`-h`: print {@link demoUsage} and run nothing. */
  readonly help: boolean;
}

/** Defaults of `npm run demo` with no arguments. */
export const DEMO_DEFAULTS = { producers: 4, records: 25_000, out: 'demo-out' } as const;

/** What `--help` prints: every flag, with its default. */
export function demoUsage(known: { adapters: readonly string[]; sinks: readonly string[] }): string {
  return [
    'Usage: npm run demo -- [options]',
    '',
    'Runs every chosen adapter × sink combination, reads every output back and prints one verified row each.',
    '',
    'Options:',
    `  --adapter <names|all>   comma-separated: ${known.adapters.join(', ')} (default: all)`,
    `  --sink <names|all>      comma-separated: ${known.sinks.join(', ')} (default: all)`,
    `  --producers <n>         producers per combination (default: ${DEMO_DEFAULTS.producers})`,
    `  --records <n>           records per producer (default: ${DEMO_DEFAULTS.records.toLocaleString('en-US')})`,
    `  --out <dir>             where the outputs go, one folder per combination (default: ${DEMO_DEFAULTS.out})`,
    '  --chaos                 kill half the producers (at least one) at random moments and start replacements',
    '  --seed <n>              chaos mode: the seed that picks who is killed and when (default: random, printed)',
    '  --collector <name>      socket sink: embedded (a collector in the demo) or rsyslog (a private rsyslogd) (default: embedded)',
    '  --compare-naive         also run the workload with every process rotating one file itself, for comparison',
    '  --scenario <name>       matrix, seed (a process pool logging into one file, one worker SIGKILLed) or all (default: all)',
    '  --json                  print one JSON document on stdout instead of the table',
    '  -h, --help              print this and exit',
  ].join('\n');
}

/** Parses and checks the command line; throws an Error with a usage message on bad input. */
export function parseDemoOptions(argv: readonly string[], known: { adapters: readonly string[]; sinks: readonly string[] }): DemoOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      adapter: { type: 'string', default: 'all' },
      sink: { type: 'string', default: 'all' },
      producers: { type: 'string', default: String(DEMO_DEFAULTS.producers) },
      records: { type: 'string', default: String(DEMO_DEFAULTS.records) },
      out: { type: 'string', default: DEMO_DEFAULTS.out },
      chaos: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      collector: { type: 'string', default: 'embedded' },
      'compare-naive': { type: 'boolean', default: false },
      seed: { type: 'string' },
      scenario: { type: 'string', default: 'all' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const pick = (value: string, all: readonly string[], what: string): string[] => {
    if (value === 'all') return [...all];
    const chosen = value.split(',');
    for (const name of chosen) {
      if (!all.includes(name)) throw new Error(`unknown --${what} ${JSON.stringify(name)}; choose one of: ${[...all, 'all'].join(', ')}`);
    }
    return chosen;
  };
  const positive = (value: string, what: string): number => {
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < 1) throw new Error(`--${what} must be a positive integer; got ${JSON.stringify(value)}`);
    return number;
  };
  let seed = randomSeed();
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0 || seed >= 2 ** 32)
      throw new Error(`--seed must be an integer from 0 to 4294967295; got ${JSON.stringify(values.seed)}`);
  }
  if (values.collector !== 'embedded' && values.collector !== 'rsyslog') {
    throw new Error(`--collector must be embedded or rsyslog; got ${JSON.stringify(values.collector)}`);
  }
  const scenario = values.scenario;
  if (scenario !== 'all' && scenario !== 'matrix' && scenario !== 'seed')
    throw new Error(`--scenario must be all, matrix or seed; got ${JSON.stringify(scenario)}`);
  return {
    adapters: pick(values.adapter, known.adapters, 'adapter'),
    sinks: pick(values.sink, known.sinks, 'sink'),
    producers: positive(values.producers, 'producers'),
    records: positive(values.records, 'records'),
    out: values.out,
    chaos: values.chaos,
    seed,
    json: values.json,
    collector: values.collector,
    compareNaive: values['compare-naive'],
    scenario,
    help: values.help,
  };
}
