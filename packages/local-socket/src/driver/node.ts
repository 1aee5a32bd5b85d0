import { nodeNetDriver } from './node-net.ts';

/** Node: `node:net`, and a producer writes with synchronous `write(2)` calls on the socket's descriptor. */
export const nodeDriver = nodeNetDriver('descriptor');
