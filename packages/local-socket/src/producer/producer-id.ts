import cluster from 'node:cluster';
import { hostname } from 'node:os';
import { currentPid, readEnvironment } from '@tributary/core/adapter';

/**
 * The producer id a process gets when the application names none: pm2's process id (`pm_id`, set
 * in every process pm2 starts, unique in its daemon) or, failing that, its instance number
 * (`NODE_APP_INSTANCE`); else the `node:cluster` worker id (`cluster.worker.id`); else
 * `<hostname>:<pid>`.
 */
export function defaultLocalProducerId(): string {
  const pm2Id = readEnvironment('pm_id');
  if (pm2Id !== undefined && pm2Id !== '') return `pm2-${pm2Id}`;
  const instance = readEnvironment('NODE_APP_INSTANCE');
  if (instance !== undefined && instance !== '') return `pm2-instance-${instance}`;
  const clusterWorker = clusterWorkerId();
  if (clusterWorker !== undefined) return `cluster-worker-${clusterWorker}`;
  return `${safeHostname()}:${currentPid()}`;
}

function clusterWorkerId(): number | undefined {
  try {
    const id = cluster.worker?.id;
    return typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}

function safeHostname(): string {
  try {
    return hostname() || 'localhost';
  } catch {
    return 'localhost';
  }
}
