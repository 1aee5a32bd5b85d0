/** A demo producer in a child process: logs `argv[2]` records over the pipe to the parent. */
import { connectToParent, disconnectFromParent } from '@tributary/node-child-process';
import { produce } from '../workload.ts';

const logger = connectToParent({ name: 'demo' });
await produce(logger, Number(process.argv[2]), (logged) => process.send?.({ logged }));
await disconnectFromParent();
