/**
 * A demo producer in a `node:cluster` worker: logs `TRIBUTARY_DEMO_RECORDS` records with
 * `localLogger()` to the collector on `TRIBUTARY_DEMO_SOCKET`, as `TRIBUTARY_DEMO_PRODUCER`.
 */
import { closeLocalLogger, localLogger } from '@tributary/local-socket';
import { produce } from '../workload.ts';

const { TRIBUTARY_DEMO_SOCKET: path, TRIBUTARY_DEMO_PRODUCER: producer } = process.env;
if (path === undefined || producer === undefined) throw new Error('cluster-producer: TRIBUTARY_DEMO_SOCKET and TRIBUTARY_DEMO_PRODUCER must be set');
const logger = localLogger({ path, producer, name: 'demo' });
await produce(logger, Number(process.env.TRIBUTARY_DEMO_RECORDS), (logged) => process.send?.({ logged }));
await closeLocalLogger();
process.exit(0);
