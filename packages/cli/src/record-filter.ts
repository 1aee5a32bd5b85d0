import { LEVEL_NAMES } from '@tributary/core';
import type { LevelName, LogRecord } from '@tributary/core';
import { UsageError } from './usage-error.ts';

/** What `--level`, `--producer` and `--logger` ask for. */
export interface RecordFilterOptions {
  /** The least severe level shown, as given (any case). Default: every level. */
  readonly level?: string | undefined;
  /** Producer ids shown (`main`, `w3`); a record from any of them passes. Default: every producer. */
  readonly producers?: readonly string[] | undefined;
  /** Logger names shown, each with its children (`app` shows `app` and `app.db`, not `apple`). Default: every logger. */
  readonly loggers?: readonly string[] | undefined;
}

/** A check on one record; lines that are not records are never filtered. */
export type RecordFilter = (record: LogRecord, level: LevelName) => boolean;

/** Builds the filter, or throws a {@link UsageError} for a level that is not one. */
export function recordFilter(options: RecordFilterOptions): RecordFilter {
  const minimum = options.level === undefined ? 0 : LEVEL_NAMES.indexOf(parseLevel(options.level));
  const producers = options.producers === undefined || options.producers.length === 0 ? undefined : new Set(options.producers);
  const loggers = options.loggers === undefined || options.loggers.length === 0 ? undefined : options.loggers;
  return (record, level) => {
    if (LEVEL_NAMES.indexOf(level) < minimum) return false;
    if (producers !== undefined && !producers.has(String(record.producer))) return false;
    if (loggers !== undefined) {
      const name = String(record.logger);
      if (!loggers.some((wanted) => name === wanted || name.startsWith(`${wanted}.`))) return false;
    }
    return true;
  };
}

function parseLevel(text: string): LevelName {
  const level = text.toLowerCase();
  if ((LEVEL_NAMES as readonly string[]).includes(level)) return level as LevelName;
  throw new UsageError(`--level must be one of ${LEVEL_NAMES.join(', ')}; got ${JSON.stringify(text)}`);
}
