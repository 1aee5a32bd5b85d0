import { contextFragment } from './context.ts';
import { providedFragment } from './fields-provider.ts';
import { describeThrown } from './encode/json-value.ts';
import { LEVEL_VALUES, describeValue, isLevelName, parseThreshold, thresholdValue } from './levels.ts';
import type { LevelName, Threshold } from './levels.ts';
import type { RecordWriter } from './queue/handler.ts';

/** A record's own fields, given by the caller. */
export type Fields = Readonly<Record<string, unknown>>;

/** Options of a child logger. */
export interface ChildLoggerOptions {
  /** Appended to the parent's name with a dot (`app` → `app.db`). Default: the parent's name. */
  readonly name?: string;
  /** Fields written in every record of the child (and its children). Default: none. */
  readonly fields?: Fields;
  /**
   * The child's threshold. Default: the parent's, following it when the parent's changes
   * ({@link Logger.setLevel}) until the child sets its own.
   */
  readonly level?: Threshold;
}

/**
 * Logs records through a producer's queue. Level methods take a message and optional fields, in
 * either order: `info('listening', { port })` and pino's `info({ port }, 'listening')` write the same
 * record; a lone object gives its fields with an empty `msg`. An Error given first is logged as `err`,
 * with its text as `msg` (or the string after it). No method ever throws, whatever it is given.
 */
export class Logger {
  /** The logger's name, written in each record's `logger` field. */
  readonly name: string;
  private threshold: Threshold;
  /** The threshold's rank: the one number a disabled call compares with. */
  private minimum: number;
  /** False for a child that takes its parent's threshold (and follows its changes). */
  private ownLevel = true;
  /** The children following this logger's threshold, weakly held (a child per request must not leak). */
  private followers: WeakRef<Logger>[] | undefined;
  private pruneFollowersAt = MIN_FOLLOWERS_BEFORE_PRUNE;
  private readonly quotedName: string;
  private readonly bound: string;

  /** Loggers are made by a listener or an adapter, or by {@link Logger.child}. */
  constructor(
    private readonly writer: RecordWriter,
    name: string,
    level: Threshold,
    boundFragment = '',
  ) {
    if (typeof name !== 'string') throw new TypeError(`logger name must be a string; got ${describeValue(name)}`);
    this.name = name;
    this.threshold = level;
    this.minimum = thresholdValue(level);
    this.quotedName = writer.encoder.quoteName(name);
    this.bound = boundFragment;
  }

  /** The threshold: records below it are discarded before anything is built. */
  get level(): Threshold {
    return this.threshold;
  }

  /**
   * Changes the threshold at run time, for this logger and every child (and their children) that
   * did not set its own level, including children made before the call. The level name is
   * case-insensitive; an unknown one throws a clear error (this is configuration, not a log call).
   */
  setLevel(level: Threshold): void {
    const threshold = parseThreshold(level, 'setLevel level');
    this.ownLevel = true;
    this.applyThreshold(threshold);
  }

  /** True when a record at `level` would be written: cheap enough to guard expensive log calls. */
  isLevelEnabled(level: LevelName): boolean {
    return LEVEL_VALUES[level] >= this.minimum;
  }

  trace(msg: string, fields?: Fields): void;
  trace(fields: Fields, msg?: string): void;
  trace(msg: string | Fields, fields?: Fields | string): void {
    if (10 >= this.minimum) this.emit('trace', msg, fields);
  }
  debug(msg: string, fields?: Fields): void;
  debug(fields: Fields, msg?: string): void;
  debug(msg: string | Fields, fields?: Fields | string): void {
    if (20 >= this.minimum) this.emit('debug', msg, fields);
  }
  info(msg: string, fields?: Fields): void;
  info(fields: Fields, msg?: string): void;
  info(msg: string | Fields, fields?: Fields | string): void {
    if (30 >= this.minimum) this.emit('info', msg, fields);
  }
  warn(msg: string, fields?: Fields): void;
  warn(fields: Fields, msg?: string): void;
  warn(msg: string | Fields, fields?: Fields | string): void {
    if (40 >= this.minimum) this.emit('warn', msg, fields);
  }
  error(msg: string | Error, fields?: Fields): void;
  error(fields: Fields | Error, msg?: string): void;
  error(msg: string | Error | Fields, fields?: Fields | string): void {
    if (50 >= this.minimum) this.emit('error', msg, fields);
  }
  fatal(msg: string | Error, fields?: Fields): void;
  fatal(fields: Fields | Error, msg?: string): void;
  fatal(msg: string | Error | Fields, fields?: Fields | string): void {
    if (60 >= this.minimum) this.emit('fatal', msg, fields);
  }

  /** Logs at a level given at run time; an unknown level is logged as `info` with `_badLevel`. */
  log(level: LevelName, msg: string, fields?: Fields): void;
  log(level: LevelName, fields: Fields, msg?: string): void;
  log(level: LevelName, msg: string | Fields, fields?: Fields | string): void {
    if (isLevelName(level)) {
      if (LEVEL_VALUES[level] >= this.minimum) this.emit(level, msg, fields);
    } else if (30 >= this.minimum) {
      const [text, allFields] = typeof msg === 'string' ? [msg, fields] : normaliseCall(msg, fields);
      this.emit('info', text, { ...safeSpread(allFields), _badLevel: safeText(level) });
    }
  }

  /**
   * A logger that writes through the same queue with a longer name, extra bound fields and/or its
   * own threshold. Accepts a name as a shortcut. Throws at configuration time on a bad level.
   */
  child(options: ChildLoggerOptions | string): Logger {
    const resolved: ChildLoggerOptions = typeof options === 'string' ? { name: options } : (options ?? {});
    if (resolved.name !== undefined && typeof resolved.name !== 'string') {
      throw new TypeError(`child logger name must be a string; got ${describeValue(resolved.name)}`);
    }
    const name = resolved.name === undefined || resolved.name === '' ? this.name : joinName(this.name, resolved.name);
    const level = resolved.level === undefined ? this.level : parseThreshold(resolved.level, 'child logger level');
    const bound = resolved.fields === undefined ? this.bound : this.bound + this.writer.encoder.fieldsFragment(resolved.fields);
    const child = new Logger(this.writer, name, level, bound);
    if (resolved.level === undefined) this.addFollower(child);
    return child;
  }

  /**
   * Resolves `true` once every record this producer logged before the call reached the sinks,
   * `false` if that could not be confirmed in time. Never rejects.
   */
  flush(): Promise<boolean> {
    return this.writer.flush();
  }

  private applyThreshold(threshold: Threshold): void {
    this.threshold = threshold;
    this.minimum = thresholdValue(threshold);
    if (this.followers === undefined) return;
    for (const reference of this.followers) {
      const follower = reference.deref();
      if (follower !== undefined && !follower.ownLevel) follower.applyThreshold(threshold);
    }
  }

  private addFollower(child: Logger): void {
    child.ownLevel = false;
    if (this.followers === undefined) this.followers = [];
    const followers = this.followers;
    followers.push(new WeakRef(child));
    if (followers.length < this.pruneFollowersAt) return;
    // Children collected since the last pruning leave the list; it stays within twice the live ones.
    this.followers = followers.filter((reference) => reference.deref() !== undefined);
    this.pruneFollowersAt = Math.max(MIN_FOLLOWERS_BEFORE_PRUNE, this.followers.length * 2);
  }

  private emit(level: LevelName, msg: unknown, fields: unknown): void {
    // Provided and context fields go first: the logger's bound fields and the call's own, written
    // after them, win.
    const context = providedFragment(this.writer.encoder) + contextFragment(this.writer.encoder);
    const bound = context === '' ? this.bound : context + this.bound;
    try {
      if (typeof msg === 'string') {
        this.writer.write(level, msg, this.quotedName, bound, fields as Fields | undefined);
      } else {
        const [text, allFields] = normaliseCall(msg, fields);
        this.writer.write(level, text, this.quotedName, bound, allFields);
      }
    } catch (thrown) {
      // A log call never throws. The writer already guards itself; this is the last line of defence,
      // and it still writes a record so the call is not lost.
      try {
        this.writer.write(level, `[Throws: ${describeThrown(thrown)}]`, this.quotedName, bound, undefined);
      } catch {
        // nothing more can be done without throwing
      }
    }
  }
}

/** How many followers a logger lists before it first drops the collected ones. */
const MIN_FOLLOWERS_BEFORE_PRUNE = 64;

function joinName(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

/**
 * Turns a call whose first argument is not a string into a message and fields. An Error is the
 * record's `err` (its text the message, unless a string follows it); an object is the fields, with
 * the string after it as the message (pino's order) or an empty message when none follows.
 */
function normaliseCall(msg: unknown, fields: unknown): [string, unknown] {
  if (isError(msg)) {
    if (typeof fields === 'string') return [fields, { err: msg }];
    return [describeThrown(msg), { ...safeSpread(fields), err: msg }];
  }
  if (msg !== null && typeof msg === 'object') {
    if (typeof fields === 'string') return [fields, msg];
    if (fields === undefined) return ['', msg];
    return ['', { ...safeSpread(msg), ...safeSpread(fields) }];
  }
  return [safeText(msg), fields];
}

/** `instanceof Error`, false instead of a throw for a hostile Proxy. */
function isError(value: unknown): value is Error {
  try {
    return value instanceof Error;
  } catch {
    return false;
  }
}

/** `String(value)`, or a `[Throws: …]` marker when that throws. */
function safeText(value: unknown): string {
  try {
    return String(value);
  } catch (thrown) {
    return `[Throws: ${describeThrown(thrown)}]`;
  }
}

function safeSpread(fields: unknown): Record<string, unknown> {
  if (fields === undefined || fields === null || typeof fields !== 'object') return {};
  try {
    return { ...fields };
  } catch (thrown) {
    return { _fields: `[Throws: ${describeThrown(thrown)}]` };
  }
}
