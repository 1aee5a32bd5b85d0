import { describeThrown } from '../encode/json-value.ts';
import { currentPid, newTextDecoder, processIsAlive } from '../internal/host.ts';
import type { SpoolFiles } from './spool-files.ts';

const LOCK_MODE = 0o600;

/**
 * Takes the lock file at `path` for this process: created exclusively (`wx`) holding the pid, so
 * that two sinks (in one process or two) never share a spool. A lock left by a process that no
 * longer exists (`process.kill(pid, 0)` says ESRCH) is taken over; one whose owner is alive, or
 * cannot be checked, is refused with an error naming the pid. `where` starts the message.
 */
export function takeSpoolLock(files: SpoolFiles, path: string, where: string): void {
  const pid = currentPid();
  for (let attempt = 1; ; attempt++) {
    try {
      files.createExclusive(path, `${pid}\n`, LOCK_MODE);
      return;
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') {
        throw new Error(`${where}: cannot write the spool's lock file ${path} (is spool.dir writable?): ${describeThrown(error)}`);
      }
      if (attempt > 2) throw error;
    }
    const owner = lockOwner(files, path);
    if (owner === pid) {
      throw new Error(`${where}: the spool ${path} is in use by another sink of this process (pid ${pid}); give each sink its own spool.dir or spool.name`);
    }
    const alive = owner === undefined ? false : processIsAlive(owner);
    if (alive !== false) {
      const state = alive === true ? 'which is running' : 'which this runtime cannot check; delete the lock file if that process is gone';
      throw new Error(`${where}: the spool ${path} is in use by process ${owner} (${state}); give each process its own spool.dir or spool.name`);
    }
    // the owner is gone (or never wrote its pid): the lock is stale
    files.remove(path);
  }
}

/** Gives the lock back (removes the file when it is still this process's). Never throws. */
export function releaseSpoolLock(files: SpoolFiles, path: string): void {
  try {
    if (lockOwner(files, path) === currentPid()) files.remove(path);
  } catch {
    // left behind: the next start takes it over, its pid being gone
  }
}

function lockOwner(files: SpoolFiles, path: string): number | undefined {
  try {
    const pid = Number.parseInt(newTextDecoder().decode(files.read(path)).trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
