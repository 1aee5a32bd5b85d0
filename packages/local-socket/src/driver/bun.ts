import { nodeNetDriver } from './node-net.ts';

/** Bun: its `node:net` exposes the socket's descriptor as Node's does, so a producer writes to it synchronously. */
export const bunDriver = nodeNetDriver('descriptor');
