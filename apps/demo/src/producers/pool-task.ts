/**
 * A piscina task module for the demo's `pool` adapter: one logger per pool thread, made when the
 * pool loads the module (nothing hands it a ring: `acceptWorkers()` in the parent takes it); each
 * task logs `records` records of the demo's workload and returns the thread's producer id.
 */
import { threadId } from 'node:worker_threads';
import { workerLogger } from '@tributary/node-worker';
import { logWorkload } from '../workload.ts';

const producer = `t${threadId}`;
const logger = workerLogger({ name: 'demo', producer, waitTimeout: 10_000 });
let logged = 0;

/** Logs one task's records; resolves with who logged them and how many this thread has logged so far. */
export default function task({ records }: { readonly records: number }): { producer: string; logged: number } {
  logWorkload(logger, logged + 1, logged + records);
  logged += records;
  return { producer, logged };
}
