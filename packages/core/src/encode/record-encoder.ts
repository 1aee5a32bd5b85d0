import type { LevelName } from '../levels.ts';
import { CORE_FIELDS } from '../record.ts';
import { flat } from './flat.ts';
import { createFieldsRenderer, describeThrown, quoteString } from './json-value.ts';
import { resolveEncodeLimits } from './limits.ts';
import type { EncodeLimits, ResolvedEncodeLimits } from './limits.ts';
import { resolveRedaction } from './redact.ts';
import type { RedactOptions, ResolvedRedaction } from './redact.ts';

const RESERVED_FIELDS: ReadonlySet<string> = new Set(CORE_FIELDS);
/** Longer messages are not kept from one record to the next (no large string stays alive). */
const MAX_CACHED_MSG_LENGTH = 256;

/** Who writes the records an encoder produces. */
export interface RecordOrigin {
  /** The producer's stable id, e.g. `main` or `w3`. */
  readonly producer: string;
  /** The producer's process id. */
  readonly pid: number;
}

/**
 * Encodes records into their canonical JSON line:
 * `{"time":…,"level":…,"msg":…,"logger":…,"producer":…,"seq":…,"pid":…,<bound fields>,<fields>}`.
 * The field order is fixed, so a record's level can be read at a known offset without parsing.
 * User fields named like a core field are written with a leading underscore (`_seq`). Fields named
 * in `redact.keys` are censored at any depth before anything else sees them.
 */
export class RecordEncoder {
  /** The limits in force. */
  readonly limits: ResolvedEncodeLimits;
  /** The redaction in force, if any. */
  readonly redaction: ResolvedRedaction | undefined;
  /** `,"producer":<producer>,"seq":`. */
  private readonly producerPart: string;
  private readonly pidPart: string;
  private readonly renderFields: (fields: unknown) => string;
  // One-entry caches of the parts that repeat from one record to the next: a burst of records
  // shares its millisecond and level, its logger, its message and its bound fields.
  private lastMillis = Number.NaN;
  private lastTimePrefix = '';
  private lastHeadMillis = Number.NaN;
  private lastLevel = '';
  private lastHead = '';
  private lastLogger: string | undefined;
  private lastLoggerPart = '';
  private lastMsg: string | undefined;
  private lastQuotedMsg = '';
  private lastBound: string | undefined;
  private lastTail = '';

  /** Throws a clear error at configuration time on bad limits or redaction options. */
  constructor(origin: RecordOrigin, limits?: EncodeLimits, redact?: RedactOptions) {
    this.limits = resolveEncodeLimits(limits);
    this.redaction = resolveRedaction(redact);
    this.producerPart = `,"producer":${quoteString(String(origin.producer), this.limits.maxStringLength)},"seq":`;
    this.pidPart = `,"pid":${Number.isFinite(origin.pid) ? origin.pid : 0}`;
    this.renderFields = createFieldsRenderer(this.limits, RESERVED_FIELDS, this.redaction);
  }

  /** Quotes a logger name once, for reuse by every call of that logger. */
  quoteName(name: string): string {
    return quoteString(name, this.limits.maxStringLength);
  }

  /** Renders bound fields (a child logger's) once, as a fragment to pass to {@link encode}. */
  fieldsFragment(fields: unknown): string {
    return this.renderFields(fields);
  }

  /**
   * One record as one JSON line (no newline). Never throws.
   * @param quotedLogger the logger's name, already quoted by {@link quoteName}
   * @param boundFragment the logger's bound fields from {@link fieldsFragment}
   */
  encode(level: LevelName, msg: string, quotedLogger: string, seq: number, boundFragment: string, fields: unknown, now: number = Date.now()): string {
    try {
      const userPart = fields === undefined ? '' : this.renderFields(fields);
      // Few pieces: the line is flattened once when it is written, and each piece costs a step.
      const line = `${this.head(now, level)}${this.quoteMsg(msg)}${this.loggerPart(quotedLogger)}${seq}${this.tail(boundFragment)}${userPart}}`;
      if (line.length <= this.limits.maxRecordLength) return line;
      const note = `record of ${line.length} characters, over limits.maxRecordLength (${this.limits.maxRecordLength}): its fields were left out`;
      return this.withoutFields(level, msg, quotedLogger, seq, now, '_truncated', note);
    } catch (thrown) {
      // Only a record too big for the runtime's string limit gets here: keep its place in the sequence.
      return this.withoutFields(level, msg, quotedLogger, seq, now, '_unencodable', describeThrown(thrown));
    }
  }

  /** The record's own fields (the message cut to 1,024 characters) and one note in place of its fields. */
  private withoutFields(level: LevelName, msg: string, quotedLogger: string, seq: number, now: number, noteName: string, note: string): string {
    return (
      `${this.timePrefix(now)}${level}","msg":${quoteString(String(msg).slice(0, 1024), 1024)},"logger":${quotedLogger}` +
      `${this.producerPart}${seq}${this.pidPart},"${noteName}":${quoteString(note, 1024)}}`
    );
  }

  /** `{"time":"<iso>","level":"<level>","msg":`. */
  private head(now: number, level: LevelName): string {
    if (now !== this.lastHeadMillis || level !== this.lastLevel) {
      this.lastHead = flat(`${this.timePrefix(now)}${level}","msg":`);
      this.lastHeadMillis = now;
      this.lastLevel = level;
    }
    return this.lastHead;
  }

  /** The message quoted; a short one is kept for the next record. */
  private quoteMsg(msg: string): string {
    if (msg === this.lastMsg) return this.lastQuotedMsg;
    const quoted = quoteString(msg, this.limits.maxStringLength);
    if (msg.length > MAX_CACHED_MSG_LENGTH) return quoted;
    this.lastMsg = msg;
    this.lastQuotedMsg = flat(quoted);
    return quoted;
  }

  /** `,"logger":<name>,"producer":<producer>,"seq":`. */
  private loggerPart(quotedLogger: string): string {
    if (quotedLogger !== this.lastLogger) {
      this.lastLoggerPart = flat(`,"logger":${quotedLogger}${this.producerPart}`);
      this.lastLogger = quotedLogger;
    }
    return this.lastLoggerPart;
  }

  /** `,"pid":<pid><bound fields>`. */
  private tail(boundFragment: string): string {
    if (boundFragment !== this.lastBound) {
      this.lastTail = flat(`${this.pidPart}${boundFragment}`);
      this.lastBound = boundFragment;
    }
    return this.lastTail;
  }

  /** `{"time":"<iso>","level":"`, cached for the current millisecond. */
  private timePrefix(now: number): string {
    if (now !== this.lastMillis) {
      this.lastMillis = now;
      this.lastTimePrefix = `{"time":"${isoTime(now)}","level":"`;
    }
    return this.lastTimePrefix;
  }
}

function isoTime(millis: number): string {
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}
