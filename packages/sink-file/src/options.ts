import type { Formatter } from '@tributary/core';
import { booleanOption, functionOption, integerOption, objectOption, stringOption } from '@tributary/core/sink';
import type { FileDriver } from './driver.ts';
import { nodeFileDriver } from './driver.ts';

/** How a file is opened, buffered and written; shared by the plain and the rotating file sink. */
export interface FileWriterOptions {
  /** The file's path. Required. Missing parent folders are created. */
  readonly path: string;
  /** Permission bits of a file the sink creates (the process umask applies). Default: 0o640. */
  readonly mode?: number;
  /** UTF-8 bytes gathered before they are written out in one system call. Default: 65,536. */
  readonly bufferSize?: number;
  /**
   * Longest time a record waits in the buffer, in milliseconds; the timer is unref'd. Default: 100.
   */
  readonly flushInterval?: number;
  /** Call fsync after each flush (timer, `flush()`, `close()`); slower, survives a power cut. Default: false. */
  readonly fsync?: boolean;
  /**
   * While the file cannot be written, how many UTF-8 bytes may wait in memory. A batch that does
   * not fit is dropped whole and reported through the sink's context (the listener counts it in
   * this sink's `dropped` and writes a `tributary.dropped` record to the other sinks). Must be ≥
   * `bufferSize`. Default: 8,388,608 (8 Mi).
   */
  readonly maxBufferSize?: number;
  /**
   * After a failed write, milliseconds between attempts; each attempt reopens the file (recreating
   * missing folders) and writes what is waiting. Default: 1,000.
   */
  readonly retryInterval?: number;
  /** The file-system calls. Default: {@link nodeFileDriver} (node:fs, on Node, Deno and Bun). */
  readonly driver?: FileDriver;
  /** Flush the buffer synchronously when the process exits (`process.on('exit')`). Default: true. */
  readonly flushOnExit?: boolean;
  /**
   * At most this often (ms), before a write, check that `path` still names the open file; if it was
   * renamed, replaced or deleted (with its folder), reopen it. 0 turns the check off. Default: 1,000.
   */
  readonly watchInterval?: number;
}

/** Options of {@link fileSink}. */
export interface FileSinkOptions extends FileWriterOptions {
  /** Turns an entry into its line (no trailing newline). Default: the canonical JSON line as it is. */
  readonly format?: Formatter;
  /** Reopen the file on SIGHUP (after an external rotation by logrotate). Default: false. */
  readonly sighup?: boolean;
  /** The sink's name in reports. Default: `file:<path>`. */
  readonly name?: string;
}

/** {@link FileWriterOptions} with every default applied. */
export interface ResolvedWriterOptions {
  readonly path: string;
  readonly name: string;
  readonly mode: number;
  readonly bufferSize: number;
  readonly flushInterval: number;
  readonly fsync: boolean;
  readonly maxBufferSize: number;
  readonly retryInterval: number;
  readonly driver: FileDriver;
  readonly flushOnExit: boolean;
  readonly watchInterval: number;
}

const DRIVER_METHODS = [
  'openAppend',
  'writeText',
  'write',
  'fsync',
  'fsyncSync',
  'close',
  'makeDirectory',
  'kindAt',
  'checkWritable',
  'identityOf',
  'identityAt',
  'sizeOf',
  'encode',
  'byteLength',
] as const;

/** Checks options at configuration time and applies defaults; throws a clear error on bad values. */
export function resolveWriterOptions(options: FileWriterOptions, name: string | undefined, where: string): ResolvedWriterOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options are required ({ path: '...' })`);
  const path = stringOption(where, 'path', options.path, undefined);
  if (path === undefined) throw new TypeError(`${where}: path must be a non-empty string; got undefined`);
  const bufferSize = integerOption(where, 'bufferSize', options.bufferSize, { min: 1, default: 65_536 });
  const maxBufferSize = integerOption(where, 'maxBufferSize', options.maxBufferSize, { min: bufferSize, default: Math.max(8 * 1024 * 1024, bufferSize) });
  const driver = objectOption<FileDriver, FileDriver>(where, 'driver', options.driver, nodeFileDriver);
  for (const method of DRIVER_METHODS) functionOption(where, `driver.${method}`, driver[method] ?? null, undefined);
  return {
    path,
    name: stringOption(where, 'name', name, `file:${path}`),
    mode: integerOption(where, 'mode', options.mode, { min: 0, max: 0o7777, default: 0o640 }),
    bufferSize,
    flushInterval: integerOption(where, 'flushInterval', options.flushInterval, { min: 1, default: 100 }),
    fsync: booleanOption(where, 'fsync', options.fsync, false),
    maxBufferSize,
    retryInterval: integerOption(where, 'retryInterval', options.retryInterval, { min: 1, default: 1_000 }),
    driver,
    flushOnExit: booleanOption(where, 'flushOnExit', options.flushOnExit, true),
    watchInterval: integerOption(where, 'watchInterval', options.watchInterval, { min: 0, default: 1_000 }),
  };
}
