import type { CombinationSpec, ProducerReport, ProgressReporter } from '../types.ts';

/** A producer the demo started: it reports progress, can be killed, and ends. */
export interface RunningProducer {
  /** Resolves when the producer has ended and the listener has everything it handed over. */
  readonly done: Promise<void>;
  /** Kills it the hard way (SIGKILL, terminate()). */
  kill(): void;
}

/** Starts one producer with an id that logs `records` records and calls `onProgress(logged)` now and then. */
export type StartProducer = (id: string, records: number, onProgress: (logged: number) => void) => RunningProducer;

/**
 * Runs `spec.producers` producers to completion. In chaos mode about half of them are killed at a
 * random point (between 10% and 90% of their records) and replaced by a fresh producer (`<id>r`)
 * that logs the full workload; a killed producer's `logged` is the last count it reported.
 */
export async function runProducers(spec: CombinationSpec, prefix: string, progress: ProgressReporter, start: StartProducer): Promise<ProducerReport[]> {
  const reports: ProducerReport[] = [];
  const logged = new Map<string, number>();
  const report = (id: string, count: number): void => {
    logged.set(id, count);
    let total = 0;
    for (const value of logged.values()) total += value;
    progress(total);
  };
  const runOne = async (id: string, chaos: boolean): Promise<void> => {
    const killAt = chaos && Math.random() < 0.5 ? Math.floor(spec.records * (0.1 + Math.random() * 0.8)) : undefined;
    let killed = false;
    let last = 0;
    const producer = start(id, spec.records, (count) => {
      last = count;
      report(id, count);
      if (killAt !== undefined && !killed && count >= killAt) {
        killed = true;
        producer.kill();
      }
    });
    await producer.done;
    if (killed) {
      reports.push({ id, logged: last, killed: true });
      await runOne(`${id}r`, false);
    } else {
      reports.push({ id, logged: spec.records, killed: false });
    }
  };
  await Promise.all(Array.from({ length: spec.producers }, (_, index) => runOne(`${prefix}${index + 1}`, spec.chaos)));
  return reports;
}

/**
 * Ring settings of the demo's worker adapters: a 4 MiB ring, and a log call may wait up to 10 s for
 * room (default 1 MiB and 1 s) so a listener slowed down by a busy machine makes producers wait
 * rather than drop. Drops would be reported, but the demo sets out to show none.
 */
export const RING = { ringBytes: 4 * 1024 * 1024, waitTimeout: 10_000 } as const;
