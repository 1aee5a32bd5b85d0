import { type SinkReporter, type SpoolBridge, startTimer, stopTimer } from '@tributary/core/sink';
import type { LogsEncoder } from '../encoding/encoder.ts';
import type { ResolvedOtlpSinkOptions } from '../options.ts';
import { exportRequest } from './export-request.ts';
import type { ExportOutcome, ExportTarget } from './export-request.ts';
import { ProgressSignal } from './progress-signal.ts';
import { RecordBuffer } from './record-buffer.ts';
import type { HeldRecord } from './record-buffer.ts';
import { backoffMs } from './retry-timing.ts';

/** The request being sent or retried; `writtenOff` once its records were reported dropped (exit), so a late answer is not counted again. */
interface Request {
  readonly records: readonly HeldRecord[];
  readonly bytes: number;
  writtenOff: boolean;
}

/**
 * Sends what the sink holds, one request at a time so records keep their order: each request is
 * retried on 429, 502, 503, 504 or no answer (after `Retry-After`, else backoff with jitter) until
 * `retry.maxElapsedMs`, never on another status; a partial success's rejected records, a refused
 * request and a request given up are reported dropped with their exact counts. With a spool, a
 * request given up, and what is held when the sink stops or the process ends, go to the spool
 * instead (nothing dropped), and the spool is sent first whenever the buffer is empty.
 */
export class Delivery {
  readonly buffer = new RecordBuffer();
  readonly progress = new ProgressSignal();
  private readonly target: ExportTarget;
  private readonly stopping = new AbortController();
  private request: Request | undefined;
  private running: Promise<void> | undefined;
  /** Since when the collector has not taken a request (undefined: it has). */
  private outageSince: number | undefined;
  private failedAttempts = 0;
  private deliveredCount = 0;
  private requestCount = 0;
  private retryCount = 0;

  constructor(
    private readonly options: ResolvedOtlpSinkOptions,
    private readonly encoder: LogsEncoder,
    private readonly reporter: SinkReporter,
    private readonly spool?: SpoolBridge<HeldRecord>,
  ) {
    this.target = { ...options, contentType: encoder.contentType };
  }

  /** Records the collector took (partial rejections excluded). */
  get delivered(): number {
    return this.deliveredCount;
  }

  /** Export requests answered with a 2xx. */
  get requests(): number {
    return this.requestCount;
  }

  /** Retries made (429, 502, 503, 504 or no answer). */
  get retries(): number {
    return this.retryCount;
  }

  /** Whether the collector is taking requests now (false while a retry is pending). */
  get healthy(): boolean {
    return this.outageSince === undefined;
  }

  /** Records held: buffered and in the request being sent. */
  get heldRecords(): number {
    return this.buffer.records + (this.request !== undefined && !this.request.writtenOff ? this.request.records.length : 0);
  }

  /** Bytes of the records held. */
  get heldBytes(): number {
    return this.buffer.bytes + (this.request !== undefined && !this.request.writtenOff ? this.request.bytes : 0);
  }

  /**
   * Starts sending what is buffered, unless it is under way already; the first request is taken
   * after the current task, so that the records a write pushes together travel together.
   */
  kick(): void {
    if (this.running !== undefined || this.stopping.signal.aborted) return;
    this.running = Promise.resolve()
      .then(() => this.run())
      .catch((error: unknown) => {
        // a bug, not the collector: the request's records are given up, counted, and sending goes on
        const request = this.request;
        const lost = this.writeOffRequest();
        this.request = undefined;
        if (request !== undefined) this.spool?.answered(request.records);
        this.reporter.failed(error, lost);
      })
      .finally(() => {
        this.running = undefined;
        this.progress.notify();
        if (this.buffer.records > 0 || (this.spool?.backlog ?? 0) > 0) this.kick();
      });
  }

  /** Gives up on what is held now (the deadline of `close()` passed): returns it as [buffered, in the request]; later answers are ignored. */
  async stop(): Promise<[buffered: number, inFlight: number]> {
    this.stopping.abort();
    const request = this.request;
    const inFlight = this.writeOffRequest();
    await this.running;
    if (this.spool === undefined) return [this.buffer.clear(), inFlight];
    this.spool.spill([...(inFlight > 0 && request !== undefined ? request.records : []), ...this.buffer.takeAll()]);
    return [0, 0];
  }

  /** The process is ending: what is held is given up at once, as [buffered, in the request] (with a spool: spooled, [0, 0]). */
  writeOff(): [buffered: number, inFlight: number] {
    if (this.spool === undefined) return [this.buffer.clear(), this.writeOffRequest()];
    const request = this.request;
    const inFlight = this.writeOffRequest() > 0 && request !== undefined ? request.records : [];
    this.spool.spill([...inFlight, ...this.buffer.takeAll()]);
    return [0, 0];
  }

  private writeOffRequest(): number {
    const request = this.request;
    if (request === undefined || request.writtenOff) return 0;
    request.writtenOff = true;
    return request.records.length;
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted && (this.buffer.records > 0 || this.spool?.refill((record) => this.buffer.push(record)) === true)) {
      const records = this.buffer.takeRequest(this.options.maxBatchRecords, this.options.maxBatchBytes, this.encoder);
      if (records.length === 0) continue; // a spool file with no readable record
      const request: Request = { records, bytes: records.reduce((sum, record) => sum + record.bytes, 0), writtenOff: false };
      this.request = request;
      await this.send(request, this.encoder.encodeRequest(records));
      this.request = undefined;
      this.progress.notify();
    }
  }

  private async send(request: Request, body: string): Promise<void> {
    const count = request.records.length;
    const firstTry = Date.now();
    for (let retry = 1; ; retry++) {
      const outcome = await exportRequest(this.target, body, this.stopping.signal);
      if (request.writtenOff) return; // reported at exit or close already
      if (outcome.kind !== 'retry') return this.settled(request, outcome);
      this.unavailable(outcome.reason);
      const waitMs = outcome.retryAfterMs ?? backoffMs(retry, this.options.retry.initialDelayMs, this.options.retry.maxDelayMs);
      if (Date.now() + waitMs - firstTry > this.options.retry.maxElapsedMs) {
        const tries = retry === 1 ? '1 try' : `${retry} tries`;
        request.writtenOff = true;
        if (this.spool !== undefined) {
          // safe on disk, sent again (spool first) after the next wait
          this.spool.spill([...request.records, ...this.buffer.takeAll()]);
          this.retryCount += 1;
          await this.pause(waitMs);
          return;
        }
        this.reporter.dropped(
          count,
          `gave up after ${tries} in ${Date.now() - firstTry} ms (retry.maxElapsedMs ${this.options.retry.maxElapsedMs}): ${outcome.reason}`,
        );
        return;
      }
      this.retryCount += 1;
      await this.pause(waitMs);
      if (request.writtenOff) return;
    }
  }

  private settled(request: Request, outcome: Exclude<ExportOutcome, { kind: 'retry' }>): void {
    const count = request.records.length;
    request.writtenOff = true;
    this.spool?.answered(request.records);
    this.available();
    if (outcome.kind === 'refused') {
      this.reporter.dropped(count, `${outcome.reason} (not retried)`);
      return;
    }
    this.requestCount += 1;
    const rejected = Math.min(outcome.rejected, count);
    this.deliveredCount += count - rejected;
    this.reporter.dropped(rejected, `${outcome.reason} (${rejected} of ${count} records in one request)`);
  }

  /** A retryable failure: reported once per outage, as a failure that loses no record by itself. */
  private unavailable(reason: string): void {
    this.failedAttempts += 1;
    if (this.outageSince !== undefined) return;
    this.outageSince = Date.now();
    this.progress.notify(); // writers waiting for room stop waiting: records beyond the buffer are dropped now
    this.reporter.failed(new Error(`sink ${this.options.name}: ${reason}; retrying`), 0);
  }

  private available(): void {
    if (this.outageSince === undefined) return;
    const downMs = Date.now() - this.outageSince;
    const failedAttempts = this.failedAttempts;
    this.outageSince = undefined;
    this.failedAttempts = 0;
    this.reporter.notice('warn', 'tributary.reconnected', 'tributary.reconnected', { sink: this.options.name, downMs, failedAttempts });
  }

  /** Waits `milliseconds`, or less when the sink stops. */
  private pause(milliseconds: number): Promise<void> {
    const signal = this.stopping.signal;
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        stopTimer(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = startTimer(done, milliseconds);
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
