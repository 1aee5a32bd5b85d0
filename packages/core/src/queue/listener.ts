import { createInProcessChannel } from '../channel/in-process.ts';
import type { ListenerEndpoint } from '../channel/types.ts';
import { currentPid, onProcessExit, onTerminationSignal, reportToConsole, startTimer, stopTimer } from '../internal/host.ts';
import type { LevelName, Threshold } from '../levels.ts';
import { resolveLoggerLevel } from '../level-environment.ts';
import { Logger } from '../logger.ts';
import type { Fields } from '../logger.ts';
import type { LogEntry } from '../record.ts';
import { QueueHandler } from './handler.ts';
import type { QueueHandlerOptions } from './handler-options.ts';
import { checkInteger } from './handler-options.ts';
import { resolveDrainSignals, resolveSinkBindings } from './listener-options.ts';
import type { ListenerReport, QueueListenerOptions } from './listener-options.ts';
import { NoticeWriter } from './notices.ts';
import { ProducerSession } from './producer-session.ts';
import type { ProducerStats, SessionHost } from './producer-session.ts';
import { SinkRunner, failureText } from './sink-runner.ts';
import { RecordThrottle, resolveThrottle } from './throttle.ts';
import type { SuppressedNotice } from './throttle.ts';
import type { SinkSummary } from './sink-runner.ts';

/** Options of a logger on the listener's own thread. */
export interface LocalLoggerOptions extends Partial<QueueHandlerOptions> {
  /** The logger's name. Default: `''`. */
  readonly name?: string;
  /** The logger's threshold. Default: `TRIBUTARY_LEVEL`, else `LOG_LEVEL`, else `'info'` (see the README). */
  readonly level?: Threshold;
  /** Fields bound to every record. Default: none. */
  readonly fields?: Fields;
}

/** What `stop()` found. Every count is of records; the listener's own notices are not counted in `received`. */
export interface ListenerSummary {
  /** Records from producers (and local loggers) the listener took and dispatched to the sinks. */
  readonly received: number;
  /** Records known to be lost before they reached the listener (sequence gaps, producers that died holding records), exact counts. */
  readonly lost: number;
  /**
   * Records the `throttle` held back, each counted in a `suppressed K similar records` record. Not a
   * loss: they do not make `complete` false.
   */
  readonly suppressed: number;
  /** Records dropped because a queue was full: the producers' own (as they reported them) plus the sinks' `dropped`. */
  readonly dropped: number;
  /** Records whose write to a sink failed, or that a timed-out stop gave up: the sum of the sinks' `failed`. */
  readonly failed: number;
  /** Per sink: written, dropped, failed, still pending (queued) and writing (in an unsettled write). */
  readonly sinks: readonly SinkSummary[];
  /** Per producer id (over all its connections), in the order they first said hello: received, lost, dropped, lostUnknownAfterSeq. */
  readonly producers: readonly Readonly<ProducerStats>[];
  /** Producers whose loss is of unknown size (ended without goodbye in batched delivery): their `lostUnknownAfterSeq` is set. */
  readonly lostUnknown: number;
  /** True when the sinks did not finish within `stopTimeout` (their unfinished records are counted in `failed`). */
  readonly timedOut: boolean;
  /**
   * True only when nothing was lost (not even an unknown number), dropped or failed, nothing is
   * pending and stop() did not time out: every record logged was written to every sink that should have it.
   */
  readonly complete: boolean;
}

/**
 * The consumer side of the queue: takes frames from any number of channels, checks every producer's
 * sequence, and feeds the sinks, each from its own bounded queue.
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
  private readonly removeSignalHook: () => void;
  private readonly lastReportAt = new Map<SinkRunner, number>();
  private readonly suppressedReports = new Map<SinkRunner, number>();
  /** The sink_error records made so far (weakly held), to recognise failures on them alone. */
  private readonly sinkErrorEntries = new WeakSet<LogEntry>();
  private readonly producerStats = new Map<string, ProducerStats>();
  private readonly throttle: RecordThrottle | undefined;
  private received = 0;
  private lost = 0;
  private stopping: Promise<ListenerSummary> | undefined;

  constructor(private readonly options: QueueListenerOptions) {
    if (options === null || typeof options !== 'object') throw new TypeError('QueueListener: options are required ({ sinks: [...] })');
    const maxPending = checkInteger(options.maxPendingBytesPerSink ?? 64 * 1024 * 1024, 'maxPendingBytesPerSink', 1);
    this.stopTimeout = checkInteger(options.stopTimeout ?? 10_000, 'stopTimeout', 1);
    this.flushTimeout = checkInteger(options.flushTimeout ?? 10_000, 'flushTimeout', 1);
    this.errorReportInterval = checkInteger(options.errorReportInterval ?? 5_000, 'errorReportInterval', 0);
    const drainSignals = resolveDrainSignals(options.drainOnSignals);
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
    const throttle = resolveThrottle(options.throttle);
    this.throttle = throttle === undefined ? undefined : new RecordThrottle(throttle, this.now, (notices) => this.writeSuppressed(notices));
    this.notices = new NoticeWriter(options.id ?? 'listener', currentPid(), options.limits);
    this.runners = resolveSinkBindings(options.sinks, maxPending).map(
      (binding) =>
        new SinkRunner({
          ...binding,
          notice: (level, msg, fields) => this.notices.make(level, msg, fields),
          onFailure: (runner, operation, error, records, entries) => this.sinkFailed(runner, operation, error, records, entries),
          onDropped: (runner, records, reason) => this.sinkDropped(runner, records, reason),
          onNotice: (runner, level, msg, fields) => this.sinkNotice(runner, level, msg, fields),
        }),
    );
    for (const runner of this.runners) runner.open();
    this.removeExitHook = options.drainOnExit === false ? () => {} : onProcessExit(() => this.drainSync());
    // Without a handler of the application's, the signal then ends the process as it would have.
    this.removeSignalHook =
      drainSignals.length === 0
        ? () => {}
        : onTerminationSignal(drainSignals, (_signal, alone) => {
            if (alone) this.drainSync();
          });
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
    const level = resolveLoggerLevel(options.level, 'logger level');
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

  /**
   * For adapters: reports a problem with a channel the listener cannot see itself (a connection the
   * adapter closed for a corrupt or oversized frame) to `onReport`, and, with `notice`, writes it to
   * the sinks as an error record of the listener's own (`msg`, e.g. `tributary.connection_closed`).
   */
  reportProblem(kind: ListenerReport['kind'], message: string, notice?: { readonly msg: string; readonly fields: Readonly<Record<string, unknown>> }): void {
    this.onReport({ kind, message });
    if (notice !== undefined) this.notice('error', notice.msg, notice.fields);
  }

  /** Per-sink counters and totals so far. */
  get stats(): Omit<ListenerSummary, 'timedOut' | 'complete'> {
    const sinks = this.runners.map((runner) => runner.stats);
    const producers = [...this.producerStats.values()].map((stats) => ({ ...stats }));
    const sum = (key: 'dropped' | 'failed'): number => sinks.reduce((total, stats) => total + stats[key], 0);
    const producerDropped = producers.reduce((total, stats) => total + stats.dropped, 0);
    const lostUnknown = producers.filter((stats) => stats.lostUnknownAfterSeq !== undefined).length;
    return {
      received: this.received,
      suppressed: this.throttle?.suppressed ?? 0,
      lost: this.lost,
      dropped: producerDropped + sum('dropped'),
      failed: sum('failed'),
      sinks,
      producers,
      lostUnknown,
    };
  }

  /**
   * Resolves `true` once everything received so far (and everything the local loggers logged) has
   * been written and every sink flushed; `false` after `flushTimeout`.
   */
  flush(): Promise<boolean> {
    for (const handler of this.localHandlers) handler.sendPending();
    for (const session of [...this.sessions]) session.drain();
    this.writeSuppressed(this.throttle?.takeAll());
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
    this.writeSuppressed(this.throttle?.takeAll());
    for (const runner of this.runners) runner.drainSync();
  }

  private async runStop(): Promise<ListenerSummary> {
    // One deadline for draining, flushing and closing together.
    const deadline = Date.now() + this.stopTimeout;
    for (const handler of this.localHandlers) handler.closeNow();
    for (const session of [...this.sessions]) session.drain();
    this.writeSuppressed(this.throttle?.takeAll());
    this.throttle?.close();
    const drained = await this.flushSinks(this.stopTimeout);
    for (const session of [...this.sessions]) session.close();
    let closeTimer: unknown;
    const settled = new Set<SinkRunner>();
    const closed = await Promise.race([
      Promise.all(this.runners.map((runner) => runner.close().then(() => settled.add(runner)))).then(() => true),
      new Promise<boolean>((resolve) => {
        closeTimer = startTimer(() => resolve(false), Math.max(0, Math.min(this.stopTimeout, deadline - Date.now())));
      }),
    ]);
    stopTimer(closeTimer);
    this.removeExitHook();
    this.removeSignalHook();
    // A sink that did not close in time, or closed with records still queued, gets no more: what it
    // still held is counted as failed, so the summary never shows it as written or as nothing.
    for (const runner of this.runners) {
      if (settled.has(runner) && runner.stats.pending === 0 && runner.stats.writing === 0) continue;
      const givenUp = runner.abandon();
      if (givenUp > 0) this.onReport({ kind: 'sink', message: `stop() gave up ${givenUp} records sink ${runner.name} had not written` });
    }
    const stats = this.stats;
    const timedOut = !drained || !closed;
    const pending = stats.sinks.reduce((total, sink) => total + sink.pending + sink.writing, 0);
    const complete = !timedOut && stats.lost === 0 && stats.lostUnknown === 0 && stats.dropped === 0 && stats.failed === 0 && pending === 0;
    const summary: ListenerSummary = { ...stats, timedOut, complete };
    if (timedOut) this.onReport({ kind: 'sink', message: `stop() gave up after ${this.stopTimeout} ms: a sink did not finish` });
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

  /** Writes the throttle's `suppressed K similar records` notices to every sink. */
  private writeSuppressed(notices: readonly SuppressedNotice[] | undefined): void {
    if (notices === undefined || notices.length === 0) return;
    this.dispatch(notices.map((notice) => this.notices.make(notice.level, notice.msg, notice.fields)));
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

  /** A sink gave up records it had accepted: one `tributary.dropped` record to the other sinks. */
  private sinkDropped(runner: SinkRunner, records: number, reason: string): void {
    this.onReport({ kind: 'sink', message: `sink ${runner.name} dropped ${records} records: ${reason}` });
    const entry = this.notices.make('warn', 'tributary.dropped', { dropped: records, sink: runner.name, reason });
    for (const other of this.runners) if (other !== runner) other.enqueue([entry]);
  }

  /** One of a sink's own notices (e.g. `tributary.reconnected`), written to the other sinks. */
  private sinkNotice(runner: SinkRunner, level: LevelName, msg: string, fields: Readonly<Record<string, unknown>>): void {
    const entry = this.notices.make(level, msg, { sink: runner.name, ...fields });
    for (const other of this.runners) if (other !== runner) other.enqueue([entry]);
  }

  private readonly sessionHost: SessionHost = {
    statsFor: (producer) => {
      let stats = this.producerStats.get(producer);
      if (stats === undefined) {
        stats = { producer, received: 0, lost: 0, dropped: 0 };
        this.producerStats.set(producer, stats);
      }
      return stats;
    },
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
      if (this.throttle === undefined) this.dispatch(entries);
      else this.dispatch(this.throttle.filter(entries, (notice) => this.notices.make(notice.level, notice.msg, notice.fields)));
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
