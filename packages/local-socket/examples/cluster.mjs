// node:cluster: the primary runs the one listener and a local collector; four forked workers log
// through localLogger() and end. Run from the repository root after `npx turbo run build`:
//   node packages/local-socket/examples/cluster.mjs
import cluster from 'node:cluster';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { closeLocalLogger, listenLocal, localLogger } from '@tributary/local-socket';
import { stdoutSink } from '@tributary/sink-stdout';

if (cluster.isPrimary) {
  // A private folder (mode 0700) for the socket, which listenLocal makes 0600.
  const folder = mkdtempSync(join(tmpdir(), 'app-logs-'));
  const path = join(folder, 'collector.sock');
  const listener = new QueueListener({ sinks: [stdoutSink()] });
  const collector = await listenLocal(listener, { path });
  const workers = [1, 2, 3, 4].map(() => cluster.fork({ APP_LOG_SOCKET: path }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.on('exit', resolve))));
  // First the collector (it confirms what the sinks wrote), then the listener.
  await collector.close();
  const summary = await listener.stop();
  rmSync(folder, { recursive: true, force: true });
  console.error(`received ${summary.received}, lost ${summary.lost}, complete ${summary.complete}`);
} else {
  // The producer id defaults to the cluster worker's: cluster-worker-1 … cluster-worker-4.
  const log = localLogger({ path: process.env.APP_LOG_SOCKET, name: 'web' });
  for (let request = 1; request <= 3; request++) log.info('handled a request', { request });
  await closeLocalLogger();
  process.exit(0);
}
