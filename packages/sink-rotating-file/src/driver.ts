import * as fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { nodeFileDriver } from '@tributary/sink-file';
import type { FileDriver } from '@tributary/sink-file';

/** What `lstat` tells about a name (symbolic links are not followed). */
export interface EntryInfo {
  readonly size: number;
  readonly mtimeMs: number;
  readonly isFile: boolean;
}

/** The file-system calls of rotation, on top of the plain file sink's. */
export interface RotationDriver extends FileDriver {
  /** Names in a folder. */
  list(dir: string): string[];
  /** What is at `path`, without following a symbolic link; undefined if nothing. */
  info(path: string): EntryInfo | undefined;
  /** Renames; replaces what is at `to` (a symbolic link there is replaced, never followed). */
  rename(from: string, to: string): void;
  /** Removes a name (a symbolic link itself, never its target). */
  remove(path: string): void;
  /**
   * Gzips `source` into `target`, which must not exist yet (created exclusively, so never through a
   * link). `source` is opened before the call returns: renames after that do not change what is read.
   */
  compress(source: string, target: string, mode: number): Promise<void>;
}

/** The rotation driver over `node:fs` and `node:zlib`, which Node, Deno and Bun all provide. */
export const nodeRotationDriver: RotationDriver = {
  ...nodeFileDriver,
  list: (dir) => fs.readdirSync(dir),
  info: (path) => {
    try {
      const stats = fs.lstatSync(path);
      return { size: stats.size, mtimeMs: stats.mtimeMs, isFile: stats.isFile() };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
      throw error;
    }
  },
  rename: (from, to) => fs.renameSync(from, to),
  remove: (path) => fs.rmSync(path, { force: true }),
  compress: (source, target, mode) => {
    let fd: number;
    try {
      fd = fs.openSync(source, 'r');
    } catch (error) {
      return Promise.reject(error);
    }
    return pipeline(fs.createReadStream('', { fd }), createGzip(), fs.createWriteStream(target, { flags: 'wx', mode }));
  },
};
