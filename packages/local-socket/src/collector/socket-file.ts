import { chmodSync, lstatSync, statSync, unlinkSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SocketDriver } from '../driver/types.ts';

/** How long the check for a live collector on an existing socket file waits, in milliseconds. */
const LIVE_PROBE_TIMEOUT_MS = 1_000;

/**
 * Checks the folder a Unix socket is to be made in: it must exist, be a directory, belong to this
 * user (or root) and be writable by no one else, unless it has the sticky bit (like `/tmp`), where
 * others cannot remove or replace this user's files. Throws a clear error otherwise.
 */
export function checkSocketFolder(where: string, path: string): void {
  const folder = dirname(resolve(path));
  let stats: ReturnType<typeof statSync>;
  try {
    stats = statSync(folder);
  } catch (error) {
    throw new Error(`${where}: the socket's folder ${folder} cannot be used: ${(error as Error).message}`);
  }
  if (!stats.isDirectory()) throw new Error(`${where}: the socket's folder ${folder} is not a directory`);
  const uid = (process as { getuid?: () => number }).getuid?.();
  if (uid !== undefined && stats.uid !== uid && stats.uid !== 0) {
    throw new Error(`${where}: the socket's folder ${folder} belongs to another user (uid ${stats.uid}); use a folder of your own`);
  }
  const sticky = (stats.mode & 0o1000) !== 0;
  if ((stats.mode & 0o022) !== 0 && !sticky) {
    throw new Error(
      `${where}: the socket's folder ${folder} is writable by others (mode ${(stats.mode & 0o777).toString(8)}) without the sticky bit, so anyone could replace the socket; use a private folder`,
    );
  }
}

/**
 * Deals with a file already at `path`: a socket nobody listens on (a dead collector's) is removed;
 * a socket a live collector answers on is never taken over, nor is anything that is not a socket.
 */
export async function clearStaleSocket(where: string, path: string, driver: SocketDriver): Promise<void> {
  let stats: ReturnType<typeof lstatSync>;
  try {
    stats = lstatSync(path);
  } catch {
    return; // nothing there
  }
  if (!stats.isSocket()) throw new Error(`${where}: ${path} exists and is not a socket; not replacing it`);
  if (await driver.probe({ kind: 'unix', path }, LIVE_PROBE_TIMEOUT_MS)) {
    throw new Error(`${where}: another collector is listening on ${path}; not taking its socket over`);
  }
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw new Error(`${where}: cannot remove the stale socket ${path}: ${(error as Error).message}`);
  }
}

/** Gives the new socket its mode; returns its inode, so close() removes only this socket. */
export function finishSocketFile(path: string, mode: number): number {
  chmodSync(path, mode);
  return lstatSync(path).ino;
}

/** Removes the socket file, when it is still the one this collector made. Never throws. */
export function removeSocketFile(path: string, inode: number): void {
  try {
    if (lstatSync(path).ino === inode) unlinkSync(path);
  } catch {
    // already gone
  }
}
