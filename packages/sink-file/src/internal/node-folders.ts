import * as fs from 'node:fs';
import { dirname, resolve } from 'node:path';

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `stat` of `path`, or undefined when nothing is there (ENOENT) or a parent is no folder (ENOTDIR). */
export function statOrUndefined(path: string): fs.Stats | undefined {
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
 * instead of making a recursive mkdir loop. Throws the failing call's error (with its `path`).
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
