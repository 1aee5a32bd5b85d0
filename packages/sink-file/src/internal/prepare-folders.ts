import { dirname, resolve } from 'node:path';
import type { FileDriver } from '../driver.ts';

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

/**
 * Checks at configuration time that the file at `path` can be created or appended to: `path` is no
 * folder (EISDIR), every folder above it is a folder or can be created (ENOTDIR, EACCES, ENOENT under
 * /proc). Creates the missing folders. Throws a {@link LogPathError} naming `where` and the cause.
 * Every file-system call goes through `driver` (`kindAt`, `makeDirectory`, `checkWritable`).
 */
export function prepareLogPath(path: string, where: string, driver: FileDriver): void {
  const fail = (what: string, error: unknown): never => {
    const code = codeOf(error);
    throw new LogPathError(`${where}: cannot log to ${path}: ${what} (${code})`, code, { cause: error });
  };
  let kind: 'folder' | 'other' | undefined;
  try {
    kind = driver.kindAt(path);
  } catch (error) {
    fail('its status cannot be read', error);
  }
  if (kind === 'folder') fail('it is a folder', Object.assign(new Error(`EISDIR: ${path} is a folder`), { code: 'EISDIR' }));
  if (kind !== undefined) return;
  const folder = dirname(resolve(path));
  try {
    driver.makeDirectory(folder);
  } catch (error) {
    const culprit = (error as { path?: unknown }).path;
    fail(`its folder ${typeof culprit === 'string' ? culprit : folder} cannot be created`, error);
  }
  try {
    driver.checkWritable(folder);
  } catch (error) {
    fail(`its folder ${folder} is not writable`, error);
  }
}
