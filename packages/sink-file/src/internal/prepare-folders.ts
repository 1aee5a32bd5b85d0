import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Why a log file's folder cannot be used: thrown at configuration time, with the system error code. */
export class LogPathError extends Error {
  override readonly name = 'LogPathError';
  constructor(
    message: string,
    /** The system error code: `EISDIR`, `ENOTDIR`, `EACCES`, `ENOENT` (a folder that cannot be created, e.g. under /proc). */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EUNKNOWN';
}

function statOrUndefined(path: string): fs.Stats | undefined {
  try {
    return fs.statSync(path);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/**
 * Creates the missing folders of `folder` one at a time, from the nearest existing ancestor down,
 * with a plain (non-recursive) mkdir each, so a folder that cannot be created (a regular file in the
 * chain, no permission, a virtual file system such as /proc) fails at once with its own error code
 * instead of making a recursive mkdir loop. Throws the failing call's error.
 */
export function makeFolders(folder: string): void {
  const missing: string[] = [];
  let current = resolve(folder);
  for (;;) {
    const stats = statOrUndefined(current);
    if (stats !== undefined) {
      if (!stats.isDirectory()) throw Object.assign(new Error(`ENOTDIR: not a directory, ${current} is not a folder`), { code: 'ENOTDIR', path: current });
      break;
    }
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (let index = missing.length - 1; index >= 0; index--) {
    const path = missing[index] as string;
    try {
      fs.mkdirSync(path);
    } catch (error) {
      if (codeOf(error) !== 'EEXIST') throw error;
    }
  }
}

/**
 * Checks at configuration time that the file at `path` can be created or appended to: `path` is no
 * folder (EISDIR), every folder above it is a folder or can be created (ENOTDIR, EACCES, ENOENT under
 * /proc). Creates the missing folders. Throws a {@link LogPathError} naming `where` and the cause.
 */
export function prepareLogPath(path: string, where: string): void {
  const fail = (what: string, error: unknown): never => {
    const code = codeOf(error);
    throw new LogPathError(`${where}: cannot log to ${path}: ${what} (${code})`, code, { cause: error });
  };
  let stats: fs.Stats | undefined;
  try {
    stats = statOrUndefined(path);
  } catch (error) {
    fail('its status cannot be read', error);
  }
  if (stats?.isDirectory()) fail('it is a folder', Object.assign(new Error(`EISDIR: ${path} is a folder`), { code: 'EISDIR' }));
  if (stats !== undefined) return;
  const folder = dirname(resolve(path));
  try {
    makeFolders(folder);
  } catch (error) {
    const culprit = (error as { path?: unknown }).path;
    fail(`its folder ${typeof culprit === 'string' ? culprit : folder} cannot be created`, error);
  }
  try {
    fs.accessSync(folder, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    fail(`its folder ${folder} is not writable`, error);
  }
}
