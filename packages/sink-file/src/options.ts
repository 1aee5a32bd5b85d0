import type { Formatter } from '@tributary/core';
import type { FileDriver } from './driver.ts';
import { nodeFileDriver } from './driver.ts';
import { reportLine } from './internal/report-line.ts';

/** Something a file sink tells its owner: a failure that began, a recovery, data given up. */
export interface FileSinkReport {
  /**
   * `write-failed`: writing began to fail (reported once per episode); `recovered`: writing works
   * again; `lost`: bytes given up at close; `rotate-failed` and `compress-failed`: from the rotating sink.
   */
  readonly kind: 'write-failed' | 'recovered' | 'lost' | 'rotate-failed' | 'compress-failed';
  /** The sink's name, e.g. `file:/var/log/app.log`. */
  readonly sink: string;
  /** One line saying what happened. */
  readonly message: string;
  /** The error behind it, if any. */
  readonly error?: unknown;
}

/** How a file is opened, buffered and written; shared by the plain and the rotating file sink. */
export interface FileWriterOptions {
  /** The file's path. Required. Missing parent folders are created. */
  readonly path: string;
  /** Permission bits of a file the sink creates (the process umask applies). Default: 0o640. */
  readonly mode?: number;
  /**
   * Bytes gathered before they are written out in one system call (records that arrived as text,
   * and a custom formatter's text, count in characters: the same for ASCII). Default: 65,536.
   */
  readonly bufferSize?: number;
  /**
   * Longest time a record waits in the buffer, in milliseconds; the timer is unref'd. Default: 100.
   */
  readonly flushInterval?: number;
  /** Call fsync after each flush (timer, `flush()`, `close()`); slower, survives a power cut. Default: false. */
  readonly fsync?: boolean;
  /**
   * While the file cannot be written, how many bytes (characters for records that arrived as text
   * and for a custom formatter's text) may wait in memory. A batch that does not fit is refused whole: the listener counts it and
   * writes a `tributary.dropped` record once the file works again. Default: 8,388,608 (8 Mi).
   */
  readonly maxBufferSize?: number;
  /**
   * After a failed write, milliseconds between attempts; each attempt reopens the file (recreating
   * missing folders) and writes what is waiting. Default: 1,000.
   */
  readonly retryInterval?: number;
  /** Receives failures and recoveries (once per episode). Default: one line on the console's error stream. */
  readonly onReport?: (report: FileSinkReport) => void;
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
  readonly onReport: (report: FileSinkReport) => void;
  readonly driver: FileDriver;
  readonly flushOnExit: boolean;
  readonly watchInterval: number;
}

/** Checks options at configuration time and applies defaults; throws a clear error on bad values. */
export function resolveWriterOptions(options: FileWriterOptions, name: string | undefined, where: string): ResolvedWriterOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options are required ({ path: '...' })`);
  if (typeof options.path !== 'string' || options.path === '') throw new TypeError(`${where}: path must be a non-empty string`);
  if (name !== undefined && (typeof name !== 'string' || name === '')) throw new TypeError(`${where}: name must be a non-empty string`);
  const integer = (value: number | undefined, fallback: number, key: string, min: number): number => {
    const chosen = value ?? fallback;
    if (!Number.isSafeInteger(chosen) || chosen < min) throw new RangeError(`${where}: ${key} must be an integer ≥ ${min}, got ${String(value)}`);
    return chosen;
  };
  const mode = integer(options.mode, 0o640, 'mode', 0);
  if (mode > 0o7777) throw new RangeError(`${where}: mode must be permission bits (0 to 0o7777), got ${mode.toString(8)}`);
  const bufferSize = integer(options.bufferSize, 65_536, 'bufferSize', 1);
  const maxBufferSize = integer(options.maxBufferSize, 8 * 1024 * 1024, 'maxBufferSize', 1);
  if (maxBufferSize < bufferSize) throw new RangeError(`${where}: maxBufferSize (${maxBufferSize}) must be ≥ bufferSize (${bufferSize})`);
  for (const key of ['onReport'] as const) {
    if (options[key] !== undefined && typeof options[key] !== 'function') throw new TypeError(`${where}: ${key} must be a function`);
  }
  const driver = options.driver ?? nodeFileDriver;
  for (const method of ['openAppend', 'writeText', 'write', 'fsync', 'fsyncSync', 'close', 'makeDirectory', 'identityOf', 'identityAt', 'sizeOf', 'encode', 'byteLength'] as const) {
    if (typeof driver?.[method] !== 'function') throw new TypeError(`${where}: driver has no ${method}() method`);
  }
  return {
    path: options.path,
    name: name ?? `file:${options.path}`,
    mode,
    bufferSize,
    flushInterval: integer(options.flushInterval, 100, 'flushInterval', 1),
    fsync: options.fsync === true,
    maxBufferSize,
    retryInterval: integer(options.retryInterval, 1_000, 'retryInterval', 1),
    onReport: options.onReport ?? ((report) => reportLine(`tributary: ${report.message}`)),
    driver,
    flushOnExit: options.flushOnExit !== false,
    watchInterval: integer(options.watchInterval, 1_000, 'watchInterval', 0),
  };
}
