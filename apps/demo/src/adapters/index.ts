import type { DemoAdapter } from '../types.ts';
import { bunWorkerAdapter } from './bun-worker.ts';
import { clusterAdapter } from './cluster.ts';
import { denoWorkerAdapter } from './deno-worker.ts';
import { inProcessAdapter } from './in-process.ts';
import { localSocketAdapter } from './local-socket.ts';
import { nodeChildProcessAdapter } from './node-child-process.ts';
import { nodeWorkerAdapter } from './node-worker.ts';
import { pm2Adapter } from './pm2.ts';
import { poolAdapter } from './pool.ts';

/** Every adapter the demo can run, in table order. */
export const demoAdapters: readonly DemoAdapter[] = [
  nodeChildProcessAdapter,
  nodeWorkerAdapter,
  denoWorkerAdapter,
  bunWorkerAdapter,
  inProcessAdapter,
  poolAdapter,
  clusterAdapter,
  pm2Adapter,
  localSocketAdapter,
];
