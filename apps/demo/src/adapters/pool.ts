import { fileURLToPath } from 'node:url';
import { waitFor } from '@tributary/core/testing';
import { acceptWorkers } from '@tributary/node-worker';
import { Piscina } from 'piscina';
import type { DemoAdapter, ProducerReport } from '../types.ts';

/** Tasks per producer: each pool thread runs many tasks, and stays one producer through them. */
const TASKS_PER_PRODUCER = 20;
/** How long the listener may take to hear every pool thread end after `pool.destroy()`, in ms. */
const THREADS_END_TIMEOUT_MS = 30_000;

/**
 * A piscina pool the application made itself: its threads (as many as producers) log with
 * `workerLogger()` and nobody hands them a ring; `acceptWorkers(listener)` takes each thread's own
 * ring, without the demo touching a `Worker`. The workload (producers × records) is split into
 * tasks the pool hands out as it likes, so a thread's producer (`t<threadId>`) carries the records
 * of every task it ran. `pool.destroy()` ends the threads; the demo waits until the listener heard
 * each one end. With `--chaos` it runs as usual (the pool owns its threads; a pool thread dying
 * mid-task is tested in node-worker's accept tests).
 */
export const poolAdapter: DemoAdapter = {
  name: 'pool',
  runtime: 'node',
  async run(listener, spec, progress) {
    const ended = new Set<string>();
    const acceptor = acceptWorkers(listener, { waitTimeout: 10_000, onExit: (exit) => ended.add(exit.producer) });
    const pool = new Piscina({
      filename: fileURLToPath(new URL('../producers/pool-task.js', import.meta.url)),
      minThreads: spec.producers,
      maxThreads: spec.producers,
    });
    const logged = new Map<string, number>();
    let total = 0;
    try {
      const tasks = spec.producers * TASKS_PER_PRODUCER;
      const all = spec.producers * spec.records;
      await Promise.all(
        Array.from({ length: tasks }, async (_, index) => {
          const records = Math.floor((all * (index + 1)) / tasks) - Math.floor((all * index) / tasks);
          const done = (await pool.run({ records })) as { producer: string; logged: number };
          logged.set(done.producer, Math.max(logged.get(done.producer) ?? 0, done.logged));
          total += records;
          progress(total);
        }),
      );
    } finally {
      await pool.destroy();
    }
    await waitFor(() => [...logged.keys()].every((producer) => ended.has(producer)), 'every pool thread to end', THREADS_END_TIMEOUT_MS).finally(() =>
      acceptor.close(),
    );
    return [...logged].map(([id, count]): ProducerReport => ({ id, logged: count, killed: false }));
  },
};
