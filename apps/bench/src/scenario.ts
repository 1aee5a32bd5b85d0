/** One measured run of one tool in one scenario. */
export interface BenchResult {
  /** The scenario's name, e.g. `threads-to-file`. */
  readonly scenario: string;
  /** What was measured: `tributary (node)`, `pino transport`, … */
  readonly tool: string;
  /** Records the workload logged. */
  readonly records: number;
  /** Records found in the output when it was read back and checked. */
  readonly verified: number;
  /** Lines that did not parse, lost records, duplicates, out-of-order steps: 0 each when correct. */
  readonly torn: number;
  readonly lost: number;
  /** Wall time from the first log call until every record was on disk, in seconds. */
  readonly seconds: number;
  /** Nanoseconds per log call on the producing thread, when measured. */
  readonly nsPerCall?: number;
  /** Peak resident set size of the measuring process in MiB, when measured. */
  readonly peakRssMiB?: number;
  /** Anything a reader should know about this figure. */
  readonly note?: string;
  /** The tool of the same run this one is measured against (a hand-written lower bound), if any. */
  readonly comparedWith?: string;
  /**
   * One line of the output (producer 1's first record), so that the CLI can check a tool and the
   * loop it is compared with wrote the same line (see `line-shape.ts`).
   */
  readonly sampleLine?: string;
}

/** Options every scenario accepts from the command line. */
export interface ScenarioOptions {
  /** Records per producer. */
  readonly records: number;
  /** Producers (threads, processes). */
  readonly producers: number;
  /** A fresh folder for this scenario's output. */
  readonly outDir: string;
  /** Which tools to run (empty: all the scenario offers). */
  readonly tools: readonly string[];
  /**
   * Records per producer logged and written before the clock starts, so that the runtime's JIT has
   * compiled each tool's code (0: measure from a cold start). Only scenarios that declare a default
   * warm-up take it.
   */
  readonly warmup: number;
}

/** A benchmark scenario: a workload run by one or more tools, each result verified by reading back. */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** Defaults for `records` and `producers`, and for `warmup` where the scenario supports one. */
  readonly defaults: { readonly records: number; readonly producers: number; readonly warmup?: number };
  run(options: ScenarioOptions): Promise<BenchResult[]>;
}
