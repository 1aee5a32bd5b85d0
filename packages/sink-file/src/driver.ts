import { Buffer } from 'node:buffer';
import * as fs from 'node:fs';
import { makeFolders, statOrUndefined } from './internal/node-folders.ts';

/**
 * The file-system calls the file sinks make, behind one small object so that tests can inject
 * failures and other builds (a JSR build with @std/fs) can swap the implementation. Every call but
 * `fsync` is synchronous: only the listener writes, in chunks, so a call costs one system call.
 * The configuration-time check of the path (`prepareLogPath`) uses the driver too (`kindAt`,
 * `makeDirectory`, `checkWritable`), so a sink given a driver makes no other file-system call.
 * Errors carry the system code (`code: 'EACCES'`…), which the sinks report.
 */
export interface FileDriver {
  /** Opens `path` for appending (O_APPEND | O_CREAT | O_WRONLY), creating it with `mode`. Returns a descriptor. */
  openAppend(path: string, mode: number): number;
  /** Writes `text` as UTF-8; returns how many bytes were written (fewer than all on a short write). */
  writeText(fd: number, text: string): number;
  /** Writes `length` bytes of `data` from `offset`; returns how many bytes were written. */
  write(fd: number, data: Uint8Array, offset: number, length: number): number;
  /** Forces written data to the disk. */
  fsync(fd: number): Promise<void>;
  /** Same as `fsync`, blocking. */
  fsyncSync(fd: number): void;
  /** Closes a descriptor. */
  close(fd: number): void;
  /**
   * Creates a folder and its missing parents, one plain mkdir each (a folder that cannot be created
   * fails at once; a file in the chain fails with `ENOTDIR`); succeeds if the folder exists.
   */
  makeDirectory(path: string): void;
  /**
   * What is at `path`, following symbolic links: `'folder'`, `'other'` (a file or anything else), or
   * undefined if nothing is there (or a parent is missing or no folder). Used by the configuration-time
   * path check; throws on other errors (EACCES…).
   */
  kindAt(path: string): 'folder' | 'other' | undefined;
  /** Throws (EACCES…) unless the folder at `path` can be written to and entered. Used by the configuration-time path check. */
  checkWritable(path: string): void;
  /** An identity (device and inode) of the open file. */
  identityOf(fd: number): string;
  /** The identity of the file now at `path`, or undefined if there is none (or no folder). */
  identityAt(path: string): string | undefined;
  /** The size in bytes of the open file. */
  sizeOf(fd: number): number;
  /** UTF-8 bytes of `text`. */
  encode(text: string): Uint8Array;
  /** Length of `text` in UTF-8 bytes. */
  byteLength(text: string): number;
}

/** The driver over `node:fs`, which Node, Deno and Bun all provide. */
export const nodeFileDriver: FileDriver = {
  openAppend: (path, mode) => fs.openSync(path, 'a', mode),
  writeText: (fd, text) => fs.writeSync(fd, text),
  write: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsync: (fd) =>
    new Promise((resolve, reject) => {
      fs.fsync(fd, (error) => (error ? reject(error) : resolve()));
    }),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  close: (fd) => fs.closeSync(fd),
  makeDirectory: (path) => makeFolders(path),
  kindAt: (path) => {
    const stats = statOrUndefined(path);
    if (stats === undefined) return undefined;
    return stats.isDirectory() ? 'folder' : 'other';
  },
  checkWritable: (path) => fs.accessSync(path, fs.constants.W_OK | fs.constants.X_OK),
  identityOf: (fd) => {
    const stats = fs.fstatSync(fd);
    return `${stats.dev}:${stats.ino}`;
  },
  identityAt: (path) => {
    try {
      const stats = fs.statSync(path);
      return `${stats.dev}:${stats.ino}`;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
  },
  sizeOf: (fd) => fs.fstatSync(fd).size,
  encode: (text) => Buffer.from(text, 'utf8'),
  byteLength: (text) => Buffer.byteLength(text, 'utf8'),
};
