import { createInProcessChannel } from '../channel/in-process.ts';
import type { ListenerEndpoint } from '../channel/types.ts';
import { currentPid, onProcessExit, reportToConsole, startTimer, stopTimer } from '../internal/host.ts';
import type { LevelName, Threshold } from '../levels.ts';
import { parseThreshold } from '../levels.ts';
import { Logger } from '../logger.ts';
import type { Fields } from '../logger.ts';
import type { LogEntry } from '../record.ts';
import { QueueHandler } from './handler.ts';
import type { QueueHandlerOptions } from './handler-options.ts';
import { checkInteger } from './handler-options.ts';
import { resolveSinkBindings } from './listener-options.ts';
import type { ListenerReport, QueueListenerOptions } from './listener-options.ts';
import { NoticeWriter } from './notices.ts';
import { ProducerSession } from './producer-session.ts';
import type { SessionHost } from './producer-session.ts';
import { SinkRunner, failureText } from './sink-runner.ts';
import type { SinkStats } from './sink-runner.ts';

/** Options of a logger on the listener's own thread. */
export interface LocalLoggerOptions extends Partial<QueueHandlerOptions> {
  /** The logger's name. Default: `''`. */
  readonly name?: string;
  /** The logger's threshold. Default: `'info'`. */
  readonly level?: Threshold;
  /** Fields bound to every record. Default: none. */
  readonly fields?: Fields;
}

/** What `stop()` found. */
export interface ListenerSummary {
  /** Records from producers dispatched to the sinks. */
  readonly received: number;
  /** Records reported lost (sequence gaps, producers that died holding records). */
  readonly lost: number;
  /** Per sink: written, dropped, failed, still pending. */
  readonly sinks: readonly SinkStats[];
  /** True when the sinks did not finish within `stopTimeout`. */
  readonly timedOut: boolean;
}

/**
 * The consumer side of the queue: takes frames from any number of channels, checks every producer's
 * sequence, and feeds the sinks, each from its own bounded queue. See DESIGN.md, "The queue".
 */
export class QueueListener implements AsyncDisposable {
  private readonly runners: SinkRunner[];
  private readonly notices: NoticeWriter;
  private readonly sessions = new Set<ProducerSession>();
  private readonly liveIds = new Map<string, ProducerSession>();
  private readonly localHandlers: QueueHandler[] = [];
  private readonly stopTimeout: number;
  private readonly flushTimeout: number;
  private readonly errorReportInterval: number;
  private readonly onReport: (report: ListenerReport) => void;
  private readonly now: () => number;
  private readonly removeExitHook: () => void;
  private readonly lastReportAt = new Map<SinkRunner, number>();
  private readonly suppressedReports = new Map<SinkRunner, number>();
  /** The sink_error records made so far (weakly held), to recognise failures on them alone. */
  private readonly sinkErrorEntries = new WeakSet<LogEntry>();
  private received = 0;
  private lost = 0;
  private stopping: Promise<ListenerSummary> | undefined;

  constructor(private readonly options: QueueListenerOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('QueueListener: options are required ({ sinks: [...] })');
    const maxPending = checkInteger(options.maxPendingBytesPerSink ?? 64 * 1024 * 1024, 'maxPendingBytesPerSink', 1);
    this.stopTimeout = checkInteger(options.stopTimeout ?? 10_000, 'stopTimeout', 1);
    this.flushTimeout = checkInteger(options.flushTimeout ?? 10_000, 'flushTimeout', 1);
    this.errorReportInterval = checkInteger(options.errorReportInterval ?? 5_000, 'errorReportInterval', 0);
    const onReport = options.onReport ?? ((report: ListenerReport) => reportToConsole(`tributary: ${report.message}`));
    if (typeof onReport !== 'function') throw new TypeError('QueueListener: onReport must be a function');
    // A report callback that throws must not break a write, a flush or a producer's channel.
    this.onReport = (report) => {
      try {
        onReport(report);
      } catch {
        // the report is also written to the sinks as a tributary.* record where it applies
      }
    };
    this.now = options.now ?? Date.now;
    this.notices = new NoticeWriter(options.id ?? 'listener', currentPid(), options.limits);
    this.runners = resolveSinkBindings(options.sinks, maxPending).map(
      (binding) =>
        new SinkRunner({
          ...binding,
          notice: (level, msg, fields) => this.notices.make(level, msg, fields),
          onFailure: (runner, operation, error, records, entries) => this.sinkFailed(runner, operation, error, records, entries),
        }),
    );
    this.removeExitHook = options.drainOnExit === false ? () => {} : onProcessExit(() => this.drainSync());
  }

  /** Takes a producer's channel. Its records reach the sinks once it said hello. */
  attach(endpoint: ListenerEndpoint): void {
    if (this.stopping !== undefined) {
      endpoint.send({ type: 'refused', reason: 'the listener is stopping' });
      endpoint.close();
      return;
    }
    this.sessions.add(new ProducerSession(endpoint, this.sessionHost));
  }

  /**
   * A logger on the listener's own thread, writing through the same queue as any worker. Its
   * producer id defaults to `main` for the first, then `main-2`, `main-3`, …
   */
  logger(options: LocalLoggerOptions = {}): Logger {
    const producer = options.producer ?? (this.localHandlers.length === 0 ? 'main' : `main-${this.localHandlers.length + 1}`);
    const level = parseThreshold(options.level ?? 'info', 'logger level');
    if (options.name !== undefined && typeof options.name !== 'string') throw new TypeError('logger name must be a string');
    const channel = createInProcessChannel();
    this.attach(channel.listener);
    const reportAfterClose = (message: string): void => this.onReport({ kind: 'producer', message });
    const base = { reportAfterClose, ...options, producer };
    const handlerOptions = this.options.limits === undefined ? base : { limits: this.options.limits, ...base };
    let handler: QueueHandler;
    try {
      handler = new QueueHandler(channel.producer, handlerOptions);
    } catch (error) {
      channel.listener.close(); // bad options: leave no half-made producer behind
      throw error;
    }
    this.localHandlers.push(handler);
    const logger = new Logger(handler, options.name ?? '', level);
    return options.fields === undefined ? logger : logger.child({ fields: options.fields });
  }

  /** Per-sink counters and totals so far. */
  get stats(): Omit<ListenerSummary, 'timedOut'> {
    return { received: this.received, lost: this.lost, sinks: this.runners.map((runner) => runner.stats) };
  }

  /**
   * Resolves `true` once everything received so far (and everything the local loggers logged) has
   * been written and every sink flushed; `false` after `flushTimeout`.
   */
  flush(): Promise<boolean> {
    for (const handler of this.localHandlers) handler.sendPending();
    for (const session of [...this.sessions]) session.drain();
    return this.flushSinks(this.flushTimeout);
  }

  /**
   * Drains everything received, flushes and closes every sink and ends every channel. Resolves once
   * with a summary, at most `stopTimeout` later; further calls return the same promise.
   */
  stop(): Promise<ListenerSummary> {
    this.stopping ??= this.runStop();
    return this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /**
   * Writes everything queued with the sinks' synchronous writes. Called on process exit, where
   * promises no longer run; sinks without `writeSync` keep what they have.
   */
  drainSync(): void {
    for (const handler of this.localHandlers) handler.sendPending();
    for (const session of [...this.sessions]) session.drain();
    for (const runner of this.runners) runner.drainSync();
  }

  private async runStop(): Promise<ListenerSummary> {
    // One deadline for draining, flushing and closing together.
    const deadline = Date.now() + this.stopTimeout;
    for (const handler of this.localHandlers) handler.closeNow();
    for (const session of [...this.sessions]) session.drain();
    const drained = await this.flushSinks(this.stopTimeout);
    for (const session of [...this.sessions]) session.close();
    let closeTimer: unknown;
    const closed = await Promise.race([
      Promise.all(this.runners.map((runner) => runner.close())).then(() => true),
      new Promise<boolean>((resolve) => {
        closeTimer = startTimer(() => resolve(false), Math.max(0, Math.min(this.stopTimeout, deadline - Date.now())));
      }),
    ]);
    stopTimer(closeTimer);
    this.removeExitHook();
    const summary = { ...this.stats, timedOut: !drained || !closed };
    if (summary.timedOut) this.onReport({ kind: 'sink', message: `stop() gave up after ${this.stopTimeout} ms: a sink did not finish` });
    return summary;
  }

  private flushSinks(timeout: number): Promise<boolean> {
    let timer: unknown;
    return Promise.race([
      Promise.all(this.runners.map((runner) => runner.flush())).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = startTimer(() => resolve(false), timeout);
      }),
    ]).finally(() => stopTimer(timer));
  }

  private dispatch(entries: readonly LogEntry[]): void {
    for (const runner of this.runners) runner.enqueue(entries);
  }

  private notice(level: LevelName, msg: string, fields: Readonly<Record<string, unknown>>): void {
    this.dispatch([this.notices.make(level, msg, fields)]);
  }

  private sinkFailed(runner: SinkRunner, operation: string, error: unknown, records: number, entries?: readonly LogEntry[]): void {
    // A failure on nothing but sink_error records is not itself sent on as one: two failing sinks
    // would otherwise report each other's failures forever.
    const cascade = entries !== undefined && entries.length > 0 && entries.every((entry) => this.sinkErrorEntries.has(entry));
    const now = this.now();
    const last = this.lastReportAt.get(runner);
    if (last !== undefined && now - last < this.errorReportInterval) {
      this.suppressedReports.set(runner, (this.suppressedReports.get(runner) ?? 0) + 1);
      return;
    }
    const suppressed = this.suppressedReports.get(runner) ?? 0;
    this.lastReportAt.set(runner, now);
    this.suppressedReports.set(runner, 0);
    const text = failureText(error);
    const more = suppressed > 0 ? ` (and ${suppressed} more failures since the last report)` : '';
    this.onReport({ kind: 'sink', message: `sink ${runner.name} failed to ${operation} ${records} records: ${text}${more}`, error });
    if (cascade) return;
    const entry = this.notices.make('error', 'tributary.sink_error', { sink: runner.name, operation, records, error: text, suppressed });
    this.sinkErrorEntries.add(entry);
    for (const other of this.runners) if (other !== runner) other.enqueue([entry]);
  }

  private readonly sessionHost: SessionHost = {
    claim: (session, producer) => {
      const holder = this.liveIds.get(producer);
      if (holder !== undefined && holder !== session) return `producer id ${JSON.stringify(producer)} is already connected`;
      this.liveIds.set(producer, session);
      return undefined;
    },
    release: (session) => {
      if (session.producer !== undefined && this.liveIds.get(session.producer) === session) this.liveIds.delete(session.producer);
    },
    dispatch: (entries) => {
      this.received += entries.length;
      this.dispatch(entries);
    },
    notice: (level, msg, fields) => {
      if (msg === 'tributary.lost') this.lost += Number(fields['lost']) || 0;
      this.notice(level, msg, fields);
    },
    report: (kind, message) => this.onReport({ kind, message }),
    flushSinks: () => this.flushSinks(this.flushTimeout),
    ended: (session) => {
      this.sessions.delete(session);
    },
  };
}
