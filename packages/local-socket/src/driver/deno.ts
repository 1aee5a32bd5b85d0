import { nodeNetDriver } from './node-net.ts';

/**
 * Deno: its `node:net` sockets own their descriptor (a `write(2)` on it fails with EBADF) and Deno has
 * no synchronous socket write, so a producer's bytes go through the socket's own buffer: what is
 * still there when the process exits is lost (the collector reports it as lost after the last
 * record it received).
 */
export const denoDriver = nodeNetDriver('buffered');
