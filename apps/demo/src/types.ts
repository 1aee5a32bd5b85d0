import type { QueueListener, Sink } from '@tributary/core';

/** One adapter × sink run, as the orchestrator hands it to `combination.ts`. */
export interface CombinationSpec {
  readonly adapter: string;
  readonly sink: string;
  readonly producers: number;
  readonly records: number;
  /** Where this combination writes: `<out>/<adapter>/<sink>/`. */
  readonly dir: string;
  readonly chaos: boolean;
  /** Chaos mode: the seed that picks which producers are killed and when (see `chaos.ts`). */
  readonly seed: number;
  readonly collector: 'embedded' | 'rsyslog';
}

/** What one producer did, as far as the demo knows. */
export interface ProducerReport {
  readonly id: string;
  /** Records whose log call returned (for a killed producer: the last count it reported). */
  readonly logged: number;
  /** True when the demo killed it (chaos mode). */
  readonly killed: boolean;
}

/** What `combination.ts` writes to `result.json`. */
export interface CombinationResult {
  readonly spec: CombinationSpec;
  readonly runtime: string;
  readonly producers: readonly ProducerReport[];
  /** From the first log call until `listener.stop()` resolved. */
  readonly seconds: number;
  readonly listener: { readonly received: number; readonly lost: number; readonly timedOut: boolean };
}

/** Reports how many records a combination has logged so far (drives the progress display). */
export type ProgressReporter = (logged: number) => void;

/** A way of running producers: in-process loggers, worker threads, child processes, Deno or Bun workers. */
export interface DemoAdapter {
  readonly name: string;
  /** The runtime that runs the listener (and this adapter's parent side). */
  readonly runtime: 'node' | 'deno' | 'bun';
  /** Runs the workload: every producer logs `spec.records` records. Resolves when all are done. */
  run(listener: QueueListener, spec: CombinationSpec, progress: ProgressReporter): Promise<ProducerReport[]>;
}

/** A sink as the demo sets it up under the combination's folder, and reads it back. */
export interface DemoSink {
  readonly name: string;
  /** Makes the sink (and whatever it needs, e.g. a local collector). */
  open(spec: CombinationSpec): Promise<{
    readonly sink: Sink;
    /** The listener's `stopTimeout` this sink needs (a remote sink confirming every request). Default: the listener's (10 s). */
    readonly stopTimeoutMs?: number;
    close(): Promise<void>;
  }>;
  /** Every line the sink's destination got, in order. */
  readBack(dir: string): Promise<string[]>;
}
