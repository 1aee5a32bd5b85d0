/**
 * A demo app as pm2 runs it in cluster mode (`pm2 start pm2-producer.js -i N`): logs
 * `TRIBUTARY_DEMO_RECORDS` records with `localLogger()` under its default producer id (`pm2-<pm_id>`)
 * to the collector on `TRIBUTARY_DEMO_SOCKET`, closes the logger, prints `done` (pm2 keeps it in the
 * instance's out log) and exits.
 */
import process from 'node:process';
import { closeLocalLogger, localLogger } from '@tributary/local-socket';
import { produce } from '../workload.ts';

const path = process.env.TRIBUTARY_DEMO_SOCKET;
if (path === undefined) throw new Error('pm2-producer: TRIBUTARY_DEMO_SOCKET must be set');
const logger = localLogger({ path, name: 'demo' });
await produce(logger, Number(process.env.TRIBUTARY_DEMO_RECORDS), () => {});
await closeLocalLogger();
process.stdout.write('done\n', () => process.exit(0));
