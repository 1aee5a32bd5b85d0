import type { Formatter } from '@tributary/core';
import type { FileWriterOptions } from '@tributary/sink-file';
import type { RotationDriver } from './driver.ts';
import type { RotationInterval } from './internal/intervals.ts';

/** Options of {@link rotatingFileSink}: the triggers and retention, plus the plain file sink's writing options. */
export interface RotatingFileSinkOptions extends FileWriterOptions {
  /**
   * Rotate before a record would make the current file larger than this many bytes (a single
   * record larger than this gets a file of its own). Default: none (no size trigger).
   */
  readonly maxSize?: number;
  /** Rotate at the start of every hour or day. Default: none (no time trigger). */
  readonly interval?: RotationInterval;
  /** Interval boundaries and date names in UTC instead of local time. Default: false (local, as logrotate). */
  readonly utc?: boolean;
  /** How many rotated files to keep; older ones are removed. Default: 7. */
  readonly maxFiles?: number;
  /** Also remove rotated files older than this many milliseconds. Default: none. */
  readonly maxAge?: number;
  /** Gzip rotated files (`app.log.2.gz`), in the background. Default: false. */
  readonly compress?: boolean;
  /** The clock for the time trigger and `maxAge` (tests). Default: `Date.now`. */
  readonly clock?: () => number;
  /** Turns an entry into its line (no trailing newline). Default: the canonical JSON line as it is. */
  readonly format?: Formatter;
  /** The sink's name in reports. Default: `rotating-file:<path>`. */
  readonly name?: string;
  /** The file-system calls. Default: {@link nodeRotationDriver}. */
  readonly driver?: RotationDriver;
}

/** The rotation settings, checked. */
export interface ResolvedRotation {
  readonly maxSize: number | undefined;
  readonly interval: RotationInterval | undefined;
  readonly utc: boolean;
  readonly maxFiles: number;
  readonly maxAge: number | undefined;
  readonly compress: boolean;
  readonly clock: () => number;
}

/** Checks the rotation options at configuration time. */
export function resolveRotation(options: RotatingFileSinkOptions): ResolvedRotation {
  const where = 'rotatingFileSink';
  const positive = (value: number | undefined, key: string, min: number): number | undefined => {
    if (value === undefined) return undefined;
    if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${where}: ${key} must be an integer ≥ ${min}, got ${String(value)}`);
    return value;
  };
  const maxSize = positive(options.maxSize, 'maxSize', 1);
  if (options.interval !== undefined && options.interval !== 'hourly' && options.interval !== 'daily') {
    throw new RangeError(`${where}: interval must be 'hourly' or 'daily', got ${String(options.interval)}`);
  }
  if (maxSize === undefined && options.interval === undefined) {
    throw new TypeError(`${where}: give maxSize, interval or both (without either, use fileSink from @tributary/sink-file)`);
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') throw new TypeError(`${where}: clock must be a function`);
  if (options.driver !== undefined) {
    for (const method of ['list', 'info', 'rename', 'remove', 'compress'] as const) {
      if (typeof options.driver[method] !== 'function') throw new TypeError(`${where}: driver has no ${method}() method`);
    }
  }
  return {
    maxSize,
    interval: options.interval,
    utc: options.utc === true,
    maxFiles: positive(options.maxFiles, 'maxFiles', 0) ?? 7,
    maxAge: positive(options.maxAge, 'maxAge', 1),
    compress: options.compress === true,
    clock: options.clock ?? Date.now,
  };
}
