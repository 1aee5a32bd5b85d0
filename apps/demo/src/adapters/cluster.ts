import cluster from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { DemoAdapter } from '../types.ts';
import { withLocalCollector } from './local-collector.ts';
import { runProducers } from './run-producers.ts';

/**
 * `node:cluster`: this process is the primary and runs the listener plus a `listenLocal()` collector
 * on a Unix socket in a private temporary folder; `cluster.fork()` workers (`k1`, `k2`, …) log with
 * `localLogger()`. A worker is done when it has exited after `closeLocalLogger()`; the collector is
 * closed (confirming what the sinks wrote) before the listener stops.
 */
export const clusterAdapter: DemoAdapter = {
  name: 'cluster',
  runtime: 'node',
  run(listener, spec, progress) {
    return withLocalCollector(listener, 'cluster', (path) => {
      cluster.setupPrimary({
        exec: fileURLToPath(new URL('../producers/cluster-producer.js', import.meta.url)),
        args: [],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      });
      return runProducers(spec, 'k', progress, (id, records, onProgress) => {
        const worker = cluster.fork({ TRIBUTARY_DEMO_SOCKET: path, TRIBUTARY_DEMO_PRODUCER: id, TRIBUTARY_DEMO_RECORDS: String(records) });
        worker.on('message', (message: { logged?: number }) => {
          if (typeof message?.logged === 'number') onProgress(message.logged);
        });
        const done = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        return { done, kill: () => void worker.process.kill('SIGKILL') };
      });
    });
  },
};
