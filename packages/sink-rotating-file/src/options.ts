import type { Formatter } from '@tributary/core';
import { booleanOption, functionOption, integerOption, objectOption, oneOfOption } from '@tributary/core/sink';
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

const DRIVER_METHODS = ['list', 'info', 'rename', 'remove', 'compress'] as const;

/** Checks the rotation options at configuration time. */
export function resolveRotation(options: RotatingFileSinkOptions): ResolvedRotation {
  const where = 'rotatingFileSink';
  if (options === null || typeof options !== 'object') throw new TypeError(`${where}: options are required ({ path: '...', maxSize: ... })`);
  const maxSize = integerOption(where, 'maxSize', options.maxSize, { min: 1, default: undefined });
  const interval = oneOfOption(where, 'interval', options.interval, ['hourly', 'daily'] as const, undefined);
  if (maxSize === undefined && interval === undefined) {
    throw new TypeError(`${where}: give maxSize, interval or both (without either, use fileSink from @tributary/sink-file)`);
  }
  const driver = objectOption<RotationDriver, undefined>(where, 'driver', options.driver, undefined);
  if (driver !== undefined) for (const method of DRIVER_METHODS) functionOption(where, `driver.${method}`, driver[method] ?? null, undefined);
  return {
    maxSize,
    interval,
    utc: booleanOption(where, 'utc', options.utc, false),
    maxFiles: integerOption(where, 'maxFiles', options.maxFiles, { min: 0, default: 7 }),
    maxAge: integerOption(where, 'maxAge', options.maxAge, { min: 1, default: undefined }),
    compress: booleanOption(where, 'compress', options.compress, false),
    clock: functionOption<() => number, () => number>(where, 'clock', options.clock, Date.now),
  };
}
