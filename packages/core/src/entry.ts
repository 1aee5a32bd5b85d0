import { levelOfLine } from './canonical-level.ts';
import { isLevelName } from './levels.ts';
import type { LevelName } from './levels.ts';
import type { LogEntry, LogRecord } from './record.ts';

/**
 * Makes the entry sinks receive for one canonical line. The level is read at its known offset; the
 * record is parsed only if a sink or filter asks for it. A line that is not valid JSON (which a
 * well-behaved producer never sends) still reaches the sinks, as a record whose `msg` is the raw line.
 */
export function entryFromLine(line: string, knownLevel?: LevelName): LogEntry {
  return new CanonicalEntry(line, knownLevel ?? levelOfLine(line));
}

class CanonicalEntry implements LogEntry {
  private parsed: LogRecord | undefined;
  private knownLevel: LevelName | undefined;

  constructor(
    readonly line: string,
    level: LevelName | undefined,
  ) {
    this.knownLevel = level;
  }

  get level(): LevelName {
    if (this.knownLevel === undefined) {
      const level = this.record.level;
      this.knownLevel = isLevelName(level) ? level : 'info';
    }
    return this.knownLevel;
  }

  get record(): LogRecord {
    if (this.parsed === undefined) this.parsed = parseLine(this.line);
    return this.parsed;
  }
}

/** Parses a canonical line; a line that is not a JSON object becomes a record whose `msg` is the line. */
export function parseLine(line: string): LogRecord {
  try {
    const value: unknown = JSON.parse(line);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as LogRecord;
  } catch {
    // fall through: not JSON
  }
  return { time: new Date().toISOString(), level: 'warn', msg: line, logger: 'tributary', producer: '?', seq: 0, pid: 0, unparsable: true };
}
