/**
 * A demo producer in a separate process (Node, Deno or Bun, started with `spawn`, no IPC): logs
 * `TRIBUTARY_DEMO_RECORDS` records with `localLogger()` to the collector on `TRIBUTARY_DEMO_SOCKET`,
 * as `TRIBUTARY_DEMO_PRODUCER`, and prints `LOGGED <n> <connections made>` on stdout after each chunk
 * of log calls.
 */
import process from 'node:process';
import { closeLocalLogger, localLogger, localLoggerStats } from '@tributary/local-socket';
import { produce } from '../workload.ts';

const { TRIBUTARY_DEMO_SOCKET: path, TRIBUTARY_DEMO_PRODUCER: producer } = process.env;
if (path === undefined || producer === undefined) throw new Error('local-producer: TRIBUTARY_DEMO_SOCKET and TRIBUTARY_DEMO_PRODUCER must be set');
const logger = localLogger({ path, producer, name: 'demo' });
await produce(logger, Number(process.env.TRIBUTARY_DEMO_RECORDS), (logged) => process.stdout.write(`LOGGED ${logged} ${localLoggerStats()?.connects ?? 0}\n`));
await closeLocalLogger();
process.exit(0);
