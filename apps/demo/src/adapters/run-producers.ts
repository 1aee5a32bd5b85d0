import { chooseKills } from '../chaos.ts';
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
 * Runs `spec.producers` producers to completion. In chaos mode half of them (at least one, chosen
 * from `spec.seed`) are killed at a random moment, between 10% and 90% of their run, and replaced by
 * a fresh producer (`<id>r`) that logs the full workload; a killed producer's `logged` is the last
 * count it reported. The moment is a timer set from the producer's first progress report (its pace
 * so far), so a kill can land anywhere in a chunk of log calls, not only between chunks; a producer
 * that reaches the chosen share before the timer fires is killed at that report.
 */
export async function runProducers(spec: CombinationSpec, prefix: string, progress: ProgressReporter, start: StartProducer): Promise<ProducerReport[]> {
  const reports: ProducerReport[] = [];
  const logged = new Map<string, number>();
  const kills = spec.chaos ? chooseKills(spec.seed, spec.producers) : [];
  const report = (id: string, count: number): void => {
    logged.set(id, count);
    let total = 0;
    for (const value of logged.values()) total += value;
    progress(total);
  };
  const runOne = async (id: string, killShare: number | undefined): Promise<void> => {
    const startedMs = performance.now();
    let killed = false;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      producer.kill();
    };
    const producer = start(id, spec.records, (count) => {
      last = count;
      report(id, count);
      if (killShare === undefined || killed || count <= 0) return;
      if (count >= Math.min(spec.records - 1, Math.ceil((killShare + 0.05) * spec.records))) kill();
      else if (timer === undefined) {
        const elapsedMs = performance.now() - startedMs;
        const estimatedRunMs = (elapsedMs * spec.records) / count;
        timer = setTimeout(kill, Math.max(0, killShare * estimatedRunMs - elapsedMs));
      }
    });
    await producer.done;
    clearTimeout(timer);
    if (killed) {
      reports.push({ id, logged: last, killed: true });
      await runOne(`${id}r`, undefined);
    } else {
      reports.push({ id, logged: spec.records, killed: false });
    }
  };
  await Promise.all(Array.from({ length: spec.producers }, (_, index) => runOne(`${prefix}${index + 1}`, kills[index])));
  return reports;
}

/**
 * Ring settings of the demo's worker adapters: a 4 MiB ring, and a log call may wait up to 10 s for
 * room (default 1 MiB and 1 s) so a listener slowed down by a busy machine makes producers wait
 * rather than drop. Drops would be reported, but the demo sets out to show none.
 */
export const RING = { ringBytes: 4 * 1024 * 1024, waitTimeout: 10_000 } as const;
