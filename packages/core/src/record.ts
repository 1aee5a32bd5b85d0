import type { LevelName } from './levels.ts';

/**
 * A log record as it reaches a sink, parsed from its canonical JSON line. The first seven fields are
 * always present; the user's fields follow.
 */
export interface LogRecord {
  /** ISO 8601 time in UTC with milliseconds, e.g. `2026-11-26T23:20:50.123Z`. */
  readonly time: string;
  /** The level name. */
  readonly level: LevelName;
  /** The message. */
  readonly msg: string;
  /** The logger's name (dotted for child loggers, e.g. `app.db`). */
  readonly logger: string;
  /** The producer's stable id, e.g. `main` or `w3`. */
  readonly producer: string;
  /** The producer's sequence number, from 1, without gaps. */
  readonly seq: number;
  /** The producer's process id. */
  readonly pid: number;
  /** The user's fields. */
  readonly [field: string]: unknown;
}

/**
 * One record as the listener hands it to sinks: the canonical JSON line (without the trailing
 * newline), the level (read without parsing the line), and the parsed record on demand.
 */
export interface LogEntry {
  /** The canonical encoding: one line of JSON, no trailing newline. */
  readonly line: string;
  /** The record's level. */
  readonly level: LevelName;
  /** The parsed record. Parsed lazily, once, on first access. */
  readonly record: LogRecord;
}

/** The names of the fields every record carries, in the order the encoder writes them. */
export const CORE_FIELDS = ['time', 'level', 'msg', 'logger', 'producer', 'seq', 'pid'] as const;
