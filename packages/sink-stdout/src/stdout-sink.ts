import { SinkClosedError } from '@tributary/core';
import type { Sink } from '@tributary/core';
import { SinkReporter, batchOf } from '@tributary/core/sink';
import type { Batch, SinkContext, SinkStats } from '@tributary/core/sink';
import type { StdoutDestination } from './destination.ts';
import { errorCode } from './errors.ts';
import { ChunkEncoder } from './internal/chunk.ts';
import type { Carry, Chunk } from './internal/chunk.ts';
import { sleepSync } from './internal/sleep.ts';
import { resolveStdoutSinkOptions } from './options.ts';
import type { StdoutSinkOptions } from './options.ts';

/**
 * What a stdout sink did so far: the common {@link SinkStats} and its own counters. `written`:
 * records all of whose bytes the destination took; `dropped`: records discarded because the reader
 * closed the pipe (`EPIPE`), the failed write's included; `failed`: records in writes that failed
 * for another reason, or that gave up on a stalled reader at exit; `pendingRecords`/`pendingBytes`:
 * the one batch waiting for the destination (the sink never holds more than one).
 */
export interface StdoutSinkStats extends SinkStats {
  /** Bytes the destination took. */
  readonly bytes: number;
  /** Times the destination was full (`EAGAIN`) and a write had to wait and try again. */
  readonly waits: number;
  /** Records whose custom formatter threw; they were written as their canonical JSON line instead. */
  readonly formatErrors: number;
  /** True once the reader went away; every later record is discarded and counted in `dropped`. */
  readonly pipeClosed: boolean;
}

/** A sink writing one line per record to standard output (or another destination). */
export interface StdoutSink extends Sink {
  /** Writes synchronously, waiting (without spinning) for a full pipe up to `syncWriteTimeout`. */
  writeSync(batch: Batch): void;
  /** Counters: written, dropped (the reader closed the pipe), failed, pending, bytes, waits. */
  readonly stats: StdoutSinkStats;
  /** Whether the `'text'` format uses ANSI colours (decided once, at creation). */
  readonly colors: boolean;
}

/**
 * A sink that writes records to the process's standard output, one line each: the canonical JSON
 * line (`format: 'json'`, the default), core's text format, or your own formatter. A reader that goes
 * away (`app | head -1`) never crashes the application: the records the write that finds out could
 * not send are reported dropped through the sink's context at once; later records are discarded,
 * counted, and reported dropped when the sink closes.
 */
export function stdoutSink(options: StdoutSinkOptions = {}): StdoutSink {
  return new DescriptorSink(options);
}

/** Longest pause between two tries at a full pipe, in milliseconds. */
const MAX_RETRY_DELAY = 16;

interface PendingWrite {
  readonly chunk: Chunk;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
  /** Settles with the write, never rejects (for flush, close and out-of-turn writes). */
  readonly settled: Promise<void>;
  timer: ReturnType<typeof setTimeout> | undefined;
  delay: number;
}

class DescriptorSink implements StdoutSink {
  /**
   * `writeSync` finishes a write still waiting for room first, then writes the batch, waiting for a
   * full pipe up to `syncWriteTimeout`: the listener may use it for back-pressure (see `Sink.syncBackPressure`).
   */
  readonly syncBackPressure = true;
  readonly name: string;
  readonly colors: boolean;
  private readonly destination: StdoutDestination;
  private readonly encoder: ChunkEncoder;
  private readonly syncWriteTimeout: number;
  private pending: PendingWrite | undefined;
  private carry: Carry | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private pipeClosed = false;
  /** Set when a synchronous write gave up on a stalled reader; later ones do not wait again until bytes move. */
  private syncStalled = false;
  private written = 0;
  private bytes = 0;
  /** Records discarded after the reader went away, not reported yet (they are, at close). */
  private discardedUnreported = 0;
  private failed = 0;
  private waits = 0;
  private readonly reporter: SinkReporter;

  constructor(options: StdoutSinkOptions) {
    const resolved = resolveStdoutSinkOptions(options);
    this.name = resolved.name;
    this.colors = resolved.colors;
    this.destination = resolved.destination;
    this.syncWriteTimeout = resolved.syncWriteTimeout;
    this.encoder = new ChunkEncoder(resolved.formatter);
    this.reporter = new SinkReporter(this.name);
  }

  open(context: SinkContext): void {
    this.reporter.open(context);
  }

  get stats(): StdoutSinkStats {
    return {
      written: this.written,
      dropped: this.reporter.droppedRecords + this.discardedUnreported,
      failed: this.failed,
      pendingRecords: this.pending === undefined ? 0 : this.pending.chunk.records,
      pendingBytes: this.pending === undefined ? 0 : this.pending.chunk.bytes.length - this.pending.chunk.offset,
      bytes: this.bytes,
      waits: this.waits,
      formatErrors: this.encoder.formatErrors,
      pipeClosed: this.pipeClosed,
    };
  }

  write(batch: Batch): void | Promise<void> {
    if (this.closed) throw new SinkClosedError(this.name);
    return this.writeNow(batch);
  }

  writeSync(batch: Batch): void {
    if (this.closed) throw new SinkClosedError(this.name);
    let failure: { error: unknown } | undefined;
    const pending = this.pending;
    if (pending !== undefined) {
      // An asynchronous write was waiting for room (the process is exiting): finish it first, in order.
      this.pending = undefined;
      clearTimeout(pending.timer);
      try {
        this.pushSync(pending.chunk);
        pending.resolve();
      } catch (error) {
        pending.reject(error);
        failure = { error };
      }
    }
    try {
      const chunk = this.prepare(batch);
      if (chunk !== undefined) this.pushSync(chunk);
    } catch (error) {
      failure ??= { error };
    }
    if (failure !== undefined) throw failure.error;
  }

  async flush(): Promise<void> {
    await this.pending?.settled;
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async closeOnce(): Promise<void> {
    this.closed = true;
    await this.pending?.settled;
    if (this.carry !== undefined) await Promise.resolve(this.writeNow(batchOf([]))).catch(() => {});
    if (this.discardedUnreported > 0) {
      const discarded = this.discardedUnreported;
      this.discardedUnreported = 0;
      this.reporter.dropped(discarded, 'discarded once the pipe had no reader');
    }
    this.destination.close?.();
  }

  /** Formats the batch into a chunk, or discards it when the reader is gone. */
  private prepare(batch: Batch): Chunk | undefined {
    if (this.pipeClosed) {
      this.discardedUnreported += batch.length;
      return undefined;
    }
    if (batch.length === 0 && this.carry === undefined) return undefined;
    const chunk = this.encoder.encode(batch, this.carry);
    this.carry = undefined;
    return chunk;
  }

  private writeNow(batch: Batch): void | Promise<void> {
    // The listener waits for each write; a caller that does not still gets its records in order.
    if (this.pending !== undefined) return this.pending.settled.then(() => this.writeNow(batch));
    const chunk = this.prepare(batch);
    if (chunk === undefined || this.push(chunk)) return;
    return this.waitForRoom(chunk);
  }

  /** Writes what the destination takes now: true when the chunk is all out, false when it is full. */
  private push(chunk: Chunk): boolean {
    while (chunk.offset < chunk.bytes.length) {
      let taken: number;
      try {
        taken = this.destination.writeSome(chunk.bytes, chunk.offset);
      } catch (error) {
        const code = errorCode(error);
        if (code === 'EINTR') continue;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          this.waits += 1;
          return false;
        }
        const failure = this.fail(chunk, error);
        if (failure === undefined) return true; // the reader is gone: the chunk is settled (reported dropped)
        throw failure.error;
      }
      if (!(taken > 0)) {
        this.waits += 1;
        return false;
      }
      chunk.offset += taken;
      this.bytes += taken;
      this.syncStalled = false;
    }
    this.written += chunk.records;
    return true;
  }

  /**
   * Keeps trying a full destination on a timer (1 ms, doubling to 16 ms, back to 1 ms on progress).
   * The timer is deliberately not unref'd: like a pending `process.stdout` write, bytes waiting for
   * the reader keep the process alive until they are taken (or the reader goes away).
   */
  private waitForRoom(chunk: Chunk): Promise<void> {
    let resolve: () => void = () => {};
    let reject: (error: unknown) => void = () => {};
    const promise = new Promise<void>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    const pending: PendingWrite = { chunk, resolve, reject, settled: promise.then(noop, noop), timer: undefined, delay: 1 };
    this.pending = pending;
    pending.timer = setTimeout(() => this.retry(pending), pending.delay);
    return promise;
  }

  private retry(pending: PendingWrite): void {
    if (this.pending !== pending) return; // writeSync finished it
    const before = pending.chunk.offset;
    let done: boolean;
    try {
      done = this.push(pending.chunk);
    } catch (error) {
      this.pending = undefined;
      pending.reject(error);
      return;
    }
    if (done) {
      this.pending = undefined;
      pending.resolve();
      return;
    }
    pending.delay = pending.chunk.offset > before ? 1 : Math.min(pending.delay * 2, MAX_RETRY_DELAY);
    pending.timer = setTimeout(() => this.retry(pending), pending.delay);
  }

  /** Writes the whole chunk now, sleeping between tries at a full pipe; gives up after `syncWriteTimeout` without progress. */
  private pushSync(chunk: Chunk): void {
    const timeout = this.syncStalled ? 0 : this.syncWriteTimeout;
    let deadline = Date.now() + timeout;
    let delay = 1;
    for (;;) {
      const before = chunk.offset;
      if (this.push(chunk)) return;
      const now = Date.now();
      if (chunk.offset > before) {
        deadline = now + this.syncWriteTimeout;
        delay = 1;
      } else if (now >= deadline) {
        this.syncStalled = true;
        const stalled = new Error(`the destination took no bytes for ${timeout} ms (is the reader stalled?)`);
        throw this.fail(chunk, stalled)?.error ?? stalled;
      }
      sleepSync(Math.max(1, Math.min(delay, deadline - now)));
      delay = Math.min(delay * 2, MAX_RETRY_DELAY);
    }
  }

  /**
   * Accounts for a chunk that could not go out. The reader gone (`EPIPE`): its unsent records are
   * reported dropped, later ones discarded, and nothing is thrown (undefined). Another failure: the
   * error to give the caller; a record cut short in the middle is carried (its remaining bytes go
   * first in the next write, so no line is torn).
   */
  private fail(chunk: Chunk, error: unknown): { readonly error: unknown } | undefined {
    const { complete, partialEnd } = this.encoder.progress(chunk);
    this.written += complete;
    if (isClosedPipe(error)) {
      this.pipeClosed = true;
      this.reporter.dropped(chunk.records - complete, `the reader closed the pipe (${errorCode(error) ?? 'EPIPE'}); later records are discarded and counted`);
      return undefined;
    }
    let notWritten = chunk.records - complete;
    if (partialEnd !== undefined) {
      this.carry = { bytes: chunk.bytes.slice(chunk.offset, partialEnd) };
      notWritten -= 1;
    }
    this.failed += notWritten;
    return { error };
  }
}

function isClosedPipe(error: unknown): boolean {
  const code = errorCode(error);
  if (code === 'EPIPE' || code === 'ECONNRESET') return true;
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'BrokenPipe' || name === 'ConnectionReset';
}

function noop(): void {}
