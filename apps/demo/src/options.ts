import { parseArgs } from 'node:util';

/** The demo's command line, as documented in the README. */
export interface DemoOptions {
  readonly adapters: readonly string[];
  readonly sinks: readonly string[];
  readonly producers: number;
  readonly records: number;
  readonly out: string;
  readonly chaos: boolean;
  readonly json: boolean;
  readonly collector: 'embedded' | 'rsyslog';
  /** Also run the workload the naive way (every process rotating one file itself) for comparison. */
  readonly compareNaive: boolean;
}

/** Defaults of `npm run demo` with no arguments. */
export const DEMO_DEFAULTS = { producers: 4, records: 25_000, out: 'demo-out' } as const;

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
  if (values.collector !== 'embedded' && values.collector !== 'rsyslog') {
    throw new Error(`--collector must be embedded or rsyslog; got ${JSON.stringify(values.collector)}`);
  }
  return {
    adapters: pick(values.adapter, known.adapters, 'adapter'),
    sinks: pick(values.sink, known.sinks, 'sink'),
    producers: positive(values.producers, 'producers'),
    records: positive(values.records, 'records'),
    out: values.out,
    chaos: values.chaos,
    json: values.json,
    collector: values.collector,
    compareNaive: values['compare-naive'],
  };
}
