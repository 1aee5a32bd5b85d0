/// <reference types="node" />
// node:fs is provided by Node, Deno and Bun alike; this file is the spool's only contact with it.
import * as fs from 'node:fs';

/**
 * The file-system calls a {@link DiskSpool} makes, behind one object so that tests can inject
 * failures. Every call is synchronous: the spool is written on the process's way out too.
 */
export interface SpoolFiles {
  /** Creates `path` and its missing parents with `mode` (nothing when it exists). */
  makeDirectory(path: string, mode: number): void;
  /** The names in folder `path`. */
  list(path: string): string[];
  /** Creates `path` holding `text`, failing with code EEXIST when it exists (`wx`), with `mode`. */
  createExclusive(path: string, text: string, mode: number): void;
  /** The whole file as bytes. */
  read(path: string): Uint8Array;
  /** Opens `path` for appending, creating it with `mode`; returns a descriptor. */
  openAppend(path: string, mode: number): number;
  /** Writes all of `data` to the descriptor (looping over short writes). */
  writeAll(fd: number, data: Uint8Array): void;
  /** Closes a descriptor. */
  close(fd: number): void;
  /** Cuts the file at `path` to `length` bytes. */
  truncate(path: string, length: number): void;
  /** Removes the file at `path` (nothing when it is gone already). */
  remove(path: string): void;
}

/** The spool's file access over `node:fs`. */
export const nodeSpoolFiles: SpoolFiles = {
  makeDirectory: (path, mode) => void fs.mkdirSync(path, { recursive: true, mode }),
  list: (path) => fs.readdirSync(path),
  createExclusive: (path, text, mode) => fs.writeFileSync(path, text, { flag: 'wx', mode }),
  read: (path) => fs.readFileSync(path),
  openAppend: (path, mode) => fs.openSync(path, 'a', mode),
  writeAll: (fd, data) => {
    let offset = 0;
    while (offset < data.length) offset += fs.writeSync(fd, data, offset, data.length - offset);
  },
  close: (fd) => fs.closeSync(fd),
  truncate: (path, length) => fs.truncateSync(path, length),
  remove: (path) => {
    try {
      fs.unlinkSync(path);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    }
  },
};
