import type { ProducerEndpoint } from '../channel/types.ts';
import { RecordEncoder } from '../encode/record-encoder.ts';
import { afterCurrentTask, currentPid, startTimer, stopTimer } from '../internal/host.ts';
import type { LevelName } from '../levels.ts';
import { PROTOCOL_VERSION } from '../protocol/frames.ts';
import type { ListenerFrame } from '../protocol/frames.ts';
import { AfterCloseNotice } from './after-close-notice.ts';
import { resolveHandlerOptions } from './handler-options.ts';
import type { QueueHandlerOptions, ResolvedHandlerOptions } from './handler-options.ts';

/** What a producer has done so far. */
export interface QueueHandlerStats {
  /** Sequence number of the last record made (records logged plus drop notices). */
  readonly lastSeq: number;
  /** Records dropped because the queue was full (each also reported in a `tributary.dropped` record). */
  readonly dropped: number;
  /** Records that could not be handed to the channel because it was closed or failed. */
  readonly undeliverable: number;
  /** Characters (UTF-16 code units) of records queued or in flight without acknowledgement. */
  readonly queuedChars: number;
  /** Records logged after `close()` (or the listener's `stop()`): not written, also counted in `undeliverable`. */
  readonly loggedAfterClose: number;
}

/** Writes records for loggers. Implemented by {@link QueueHandler}. */
export interface RecordWriter {
  readonly encoder: RecordEncoder;
  write(level: LevelName, msg: string, quotedLogger: string, boundFragment: string, fields: unknown): void;
  flush(): Promise<boolean>;
}

const TRIBUTARY_LOGGER = '"tributary"';

/**
 * The producer side of the queue: gives each record its sequence number, encodes it once, batches
 * lines and sends them as frames through a {@link ProducerEndpoint}. Memory is bounded by
 * `maxQueuedChars`; what does not fit is dropped, counted, and reported as a record. Never throws from
 * `write`.
 */
export class QueueHandler implements RecordWriter {
  readonly options: ResolvedHandlerOptions;
  readonly encoder: RecordEncoder;
  private readonly endpoint: ProducerEndpoint;
  private readonly fallback: ((lines: readonly string[]) => void) | undefined;
  /** The endpoint's one-record fast path, when it has one (shared-memory rings). */
  private readonly appendLine: ((seq: number, line: string) => void) | undefined;
  private seq = 0;
  private pending: string[] = [];
  private pendingChars = 0;
  /** In-flight batches as [lastSeq, bytes] pairs, oldest first. */
  private readonly inFlight: number[] = [];
  private inFlightChars = 0;
  private droppedSinceNotice = 0;
  private droppedTotal = 0;
  private undeliverable = 0;
  private readonly afterClose: AfterCloseNotice;
  private scheduled = false;
  private timer: unknown;
  private closed = false;
  private channelOpen = true;
  private closing: Promise<void> | undefined;
  private nextFlushId = 1;
  private readonly flushWaiters = new Map<number, (complete: boolean) => void>();

  constructor(endpoint: ProducerEndpoint, options: QueueHandlerOptions) {
    this.options = resolveHandlerOptions(options, currentPid());
    this.encoder = new RecordEncoder({ producer: this.options.producer, pid: this.options.pid }, options.limits, options.redact);
    this.fallback = options.fallback;
    this.afterClose = new AfterCloseNotice(options.reportAfterClose);
    this.endpoint = endpoint;
    this.appendLine = typeof endpoint.appendLine === 'function' ? endpoint.appendLine.bind(endpoint) : undefined;
    endpoint.onFrame((frame) => this.receive(frame));
    endpoint.onClose(() => this.channelClosed());
    this.sendFrame({
      type: 'hello',
      version: PROTOCOL_VERSION,
      producer: this.options.producer,
      runtime: this.options.runtime,
      pid: this.options.pid,
      thread: this.options.thread,
      durable: endpoint.durable === true,
    });
  }

  /** Counters for tests and monitoring. */
  get stats(): QueueHandlerStats {
    return {
      lastSeq: this.seq,
      dropped: this.droppedTotal,
      undeliverable: this.undeliverable,
      queuedChars: this.pendingChars + this.inFlightChars,
      loggedAfterClose: this.afterClose.count,
    };
  }

  write(level: LevelName, msg: string, quotedLogger: string, boundFragment: string, fields: unknown): void {
    if (this.closed) {
      this.undeliverable += 1;
      this.afterClose.countOne();
      return;
    }
    if (this.pendingChars + this.inFlightChars >= this.options.maxQueuedChars) {
      this.droppedSinceNotice += 1;
      this.droppedTotal += 1;
      return;
    }
    if (this.droppedSinceNotice > 0) this.appendDropNotice();
    this.append(this.encoder.encode(level, msg, quotedLogger, ++this.seq, boundFragment, fields));
  }

  /**
   * Sends what is batched and resolves `true` once the listener confirmed that every record logged
   * before this call reached the sinks; `false` if the listener did not confirm within `flushTimeout`
   * or the channel is gone. Never rejects.
   */
  flush(): Promise<boolean> {
    this.sendPending();
    if (!this.channelOpen) return Promise.resolve(false);
    const id = this.nextFlushId++;
    return new Promise<boolean>((resolve) => {
      const timer = startTimer(() => finish(false), this.options.flushTimeout);
      const finish = (complete: boolean): void => {
        stopTimer(timer);
        this.flushWaiters.delete(id);
        resolve(complete);
      };
      this.flushWaiters.set(id, finish);
      if (!this.sendFrame({ type: 'flush', id })) finish(false);
    });
  }

  /**
   * Flushes, tells the listener this producer is done (`bye`) and closes the channel. Later log
   * calls are not written: they are counted (`stats.loggedAfterClose`, `stats.undeliverable`) and
   * reported on stderr, at most once a second with the running count. Idempotent; resolves once.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.flush();
      this.closeNow();
    })();
    return this.closing;
  }

  /**
   * Sends what is batched and `bye`, and closes the channel at once, without waiting for a flush
   * confirmation (used by a listener stopping its own loggers, and at exit). Idempotent.
   */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    // The last chance to report drops: the notice goes out even if the queue is still full.
    if (this.droppedSinceNotice > 0) this.appendDropNotice();
    this.sendPending();
    this.sendFrame({ type: 'bye', producer: this.options.producer, lastSeq: this.seq });
    this.channelClosed();
    this.endpoint.close();
  }

  /** Sends the partial batch now (used at exit; normally a timer or a full batch does it). */
  sendPending(): void {
    if (this.droppedSinceNotice > 0 && this.pendingChars + this.inFlightChars < this.options.maxQueuedChars) {
      this.appendDropNotice();
    }
    const lines = this.pending;
    if (lines.length === 0) return;
    const bytes = this.pendingChars;
    this.pending = [];
    this.pendingChars = 0;
    this.inFlight.push(this.seq, bytes);
    this.inFlightChars += bytes;
    if (!this.sendFrame({ type: 'batch', producer: this.options.producer, firstSeq: this.seq - lines.length + 1, lines })) {
      this.undeliverable += lines.length;
      this.inFlightChars -= bytes;
      this.inFlight.length = 0;
      this.handOverToFallback(lines);
    }
  }

  private append(line: string): void {
    if (this.appendLine !== undefined) return this.appendDirect(line);
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.endpoint.durable === true || this.pending.length >= this.options.batchSize) {
      this.sendPending();
    } else if (!this.scheduled) {
      this.scheduleSend();
    }
  }

  /** Hands one record to the endpoint's fast path: no batch, no frame, nothing kept in this heap. */
  private appendDirect(line: string): void {
    if (this.channelOpen) {
      try {
        (this.appendLine as (seq: number, line: string) => void)(this.seq, line);
        return;
      } catch {
        this.channelClosed();
      }
    }
    this.undeliverable += 1;
    this.handOverToFallback([line]);
  }

  private appendDropNotice(): void {
    const count = this.droppedSinceNotice;
    this.droppedSinceNotice = 0;
    const line = this.encoder.encode('warn', 'tributary.dropped', TRIBUTARY_LOGGER, ++this.seq, '', {
      dropped: count,
      reason: 'producer queue full',
      producerOfDropped: this.options.producer,
    });
    this.pending.push(line);
    this.pendingChars += line.length;
    if (!this.scheduled) this.scheduleSend();
  }

  private scheduleSend(): void {
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      this.timer = undefined;
      this.sendPending();
    };
    if (this.options.flushInterval === 0) afterCurrentTask(run);
    else this.timer = startTimer(run, this.options.flushInterval);
  }

  /** Hands a frame to the endpoint; false when the channel is closed or failed. */
  private sendFrame(frame: Parameters<ProducerEndpoint['send']>[0]): boolean {
    if (!this.channelOpen) return false;
    try {
      this.endpoint.send(frame);
      return true;
    } catch {
      this.channelClosed();
      return false;
    }
  }

  private receive(frame: ListenerFrame): void {
    switch (frame.type) {
      case 'ack':
        this.acknowledge(frame.seq);
        break;
      case 'flushed':
        this.flushWaiters.get(frame.id)?.(frame.complete);
        break;
      case 'refused':
        this.channelClosed();
        break;
    }
  }

  private acknowledge(seq: number): void {
    let index = 0;
    while (index < this.inFlight.length && (this.inFlight[index] as number) <= seq) {
      this.inFlightChars -= this.inFlight[index + 1] as number;
      index += 2;
    }
    if (index > 0) this.inFlight.splice(0, index);
    if (this.droppedSinceNotice > 0 && !this.scheduled) this.scheduleSend();
  }

  private channelClosed(): void {
    if (!this.channelOpen) return;
    this.channelOpen = false;
    stopTimer(this.timer);
    for (const finish of [...this.flushWaiters.values()]) finish(false);
    this.inFlight.length = 0;
    this.inFlightChars = 0;
  }

  private handOverToFallback(lines: readonly string[]): void {
    if (this.fallback === undefined) return;
    try {
      this.fallback(lines);
    } catch {
      // the fallback is best effort
    }
  }
}
