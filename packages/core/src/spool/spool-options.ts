import { integerOption, objectOption, oneOfOption, stringOption } from '../options.ts';

/** A disk spool for a sink's records that cannot be delivered now (see {@link DiskSpool}). */
export interface SpoolOptions {
  /** The folder of the spool files, created (0700) when missing. Required. */
  readonly dir: string;
  /**
   * Most bytes the spool's files hold together; beyond it records are dropped as `overflow` says,
   * counted and reported. Default: 64 MiB (67,108,864).
   */
  readonly maxBytes?: number;
  /**
   * Which records are dropped when the spool is full: `'newest'` (those arriving, like the
   * listener's bounded queue: what was spooled first is kept) or `'oldest'` (the oldest spooled,
   * a whole spool file at a time, for the recent records). Default: `'newest'`.
   */
  readonly overflow?: 'oldest' | 'newest';
  /**
   * The spool's name in `dir` (its files are `<name>-<hash>.*`). A sink started again with the same
   * `dir` and `name` sends what the previous run left. Default: the sink's name (its destination).
   */
  readonly name?: string;
}

/** The spool options with their defaults applied. */
export interface ResolvedSpoolOptions {
  readonly dir: string;
  readonly maxBytes: number;
  readonly overflow: 'oldest' | 'newest';
  readonly name: string;
}

/** The default of {@link SpoolOptions.maxBytes}: 64 MiB. */
export const DEFAULT_SPOOL_MAX_BYTES: number = 64 * 1024 * 1024;

/**
 * Checks a sink's `spool` option (undefined: no spool) with the kit's validators, so every sink
 * reports a bad one the same way. `where` is the sink's factory (`otlpSink`), `sinkName` the default name.
 */
export function resolveSpoolOptions(where: string, value: unknown, sinkName: string): ResolvedSpoolOptions | undefined {
  const spool = objectOption<SpoolOptions, undefined>(where, 'spool', value, undefined);
  if (spool === undefined) return undefined;
  const dir = stringOption(where, 'spool.dir', spool.dir, undefined);
  if (dir === undefined) throw new TypeError(`${where}: spool.dir must be a non-empty string (the spool's folder); got undefined`);
  return {
    dir,
    maxBytes: integerOption(where, 'spool.maxBytes', spool.maxBytes, { min: 1024, default: DEFAULT_SPOOL_MAX_BYTES }),
    overflow: oneOfOption(where, 'spool.overflow', spool.overflow, ['oldest', 'newest'], 'newest'),
    name: stringOption(where, 'spool.name', spool.name, sinkName),
  };
}
