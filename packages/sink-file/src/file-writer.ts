import { startTimer, stopTimer, describeThrown } from '@tributary/core/sink';
import type { SinkReporter, SinkStats } from '@tributary/core/sink';
import type { ResolvedWriterOptions } from './options.ts';
import { PendingParts } from './internal/pending-parts.ts';
import { onExit } from './internal/process-hooks.ts';

/**
 * What a file sink has done so far: the common {@link SinkStats} (records written, dropped, failed,
 * pending; `pendingBytes` in UTF-8 bytes) and the file's own counters.
 */
export interface FileWriterStats extends SinkStats {
  /** Bytes written to files. */
  readonly bytesWritten: number;
  /** Failed attempts to open or write (every retry counts). */
  readonly writeErrors: number;
  /** Times writing began to fail (each reported once). */
  readonly failures: number;
  /** Times the file was (re)opened. */
  readonly opens: number;
  /** Bytes given up because the file could still not be written at close. */
  readonly lostBytes: number;
  /** True while writes fail and retries are scheduled. */
  readonly failing: boolean;
}

const NEWLINE = 0x0a;

/**
 * Appends UTF-8 bytes or text to one file through a bounded buffer: the part of the file sinks that
 * owns the descriptor. Bytes (canonical JSON lines, from `Batch.bytes()`) are written as they are;
 * text is handed to the runtime as a string. Writes are synchronous system calls of about
 * `bufferSize` UTF-8 bytes at a time; a timer (unref'd) writes what waits after `flushInterval`. A
 * failed write keeps its bytes, reports once (through the sink's {@link SinkReporter}), and is
 * retried every `retryInterval` by reopening the file. Never throws from `append`, `writeOut` or
 * `flushSync`. Used by @tributary/sink-file and @tributary/sink-rotating-file.
 */
export class FileWriter {
  private fd: number | undefined;
  private readonly parts = new PendingParts();
  /** Bytes being written, of which `chunkOffset` went out (a short write or a failure left the rest). */
  private chunk: Uint8Array | undefined;
  private chunkOffset = 0;
  /** Records in `chunk`, counted written once all of it went out. */
  private chunkRecords = 0;
  private failure: unknown;
  private flushTimer: unknown;
  private retryTimer: unknown;
  private closed = false;
  /** Identity of the open file, and when `path` was last compared with it. */
  private openIdentity: string | undefined;
  private checkedAt = 0;
  /** Set by the first {@link openNow}: later opens happen when writing (after a release, a rotation). */
  private openedOnce = false;
  private counts = { written: 0, bytesWritten: 0, writeErrors: 0, failures: 0, opens: 0, lostBytes: 0 };
  private readonly removeExitHook: () => void;

  /** `reporter` receives the writer's failures, recoveries and what it gives up at close. */
  constructor(
    readonly options: ResolvedWriterOptions,
    readonly reporter: SinkReporter,
  ) {
    this.removeExitHook = options.flushOnExit ? onExit(() => this.flushSync()) : () => {};
  }

  get stats(): FileWriterStats {
    return {
      ...this.counts,
      dropped: this.reporter.droppedRecords,
      failed: this.reporter.failedRecords,
      pendingRecords: this.pendingRecords,
      pendingBytes: this.pendingBytes,
      failing: this.failing,
    };
  }

  /** True while writes fail and are being retried. */
  get failing(): boolean {
    return this.failure !== undefined;
  }

  /** UTF-8 bytes waiting to be written. */
  get pendingBytes(): number {
    return this.parts.bytes + (this.chunk === undefined ? 0 : this.chunk.length - this.chunkOffset);
  }

  /** Records waiting to be written (in full or in part). */
  get pendingRecords(): number {
    return this.parts.records + (this.chunk === undefined ? 0 : this.chunkRecords);
  }

  /** False when the file is failing and `bytes` more UTF-8 bytes would exceed `maxBufferSize`. */
  canAccept(bytes: number): boolean {
    return this.failure === undefined || this.pendingBytes + bytes <= this.options.maxBufferSize;
  }

  /**
   * Adds UTF-8 bytes or text (`records` whole lines, each ending in a newline) to the buffer; writes
   * the buffer out when it reaches `bufferSize`. Bytes are kept as they are, not copied: they must
   * not change afterwards. `bytes` is the part's UTF-8 size when the caller knows it already.
   */
  append(part: string | Uint8Array, records: number, bytes: number = typeof part === 'string' ? this.options.driver.byteLength(part) : part.length): void {
    if (part.length === 0) return;
    this.parts.push(part, bytes, records, this.failure !== undefined);
    if (this.failure !== undefined) return;
    if (this.parts.bytes >= this.options.bufferSize) this.writeOut();
    else if (this.flushTimer === undefined) this.flushTimer = startTimer(() => this.onFlushTimer(), this.options.flushInterval);
  }

  /**
   * Writes everything waiting, synchronously. Returns true when nothing is left; false when the file
   * is failing (the bytes stay, a retry is scheduled). With `followPath` false the open file gets
   * them even if `path` names another file by now.
   */
  writeOut(followPath = true): boolean {
    if (this.failure !== undefined) return false;
    try {
      this.writePending(followPath);
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  /** Opens the file now (creating folders) unless it was opened once already; a failure starts the retry policy. */
  openNow(): void {
    if (this.openedOnce || this.failure !== undefined || this.fd !== undefined) return;
    this.openedOnce = true;
    try {
      this.open();
    } catch (error) {
      this.failed(error);
    }
  }

  /** The size of the file on disk, opening it if needed; 0 if it cannot be opened. */
  fileSize(): number {
    try {
      return this.options.driver.sizeOf(this.open());
    } catch (error) {
      this.failed(error);
      return 0;
    }
  }

  /**
   * Writes what waits to the file as it is open now, then closes it; the next write opens the path
   * anew. After an external rename (logrotate) records before the call stay in the renamed file.
   */
  reopen(): void {
    this.writeOut(false);
    this.release(true);
    if (this.failure !== undefined) this.retryNow();
    else {
      try {
        this.open();
      } catch (error) {
        this.failed(error);
      }
    }
  }

  /**
   * Closes the descriptor without writing (the rotating sink renames in between). With
   * `toAnotherFile`, a record whose head a short write left in this file is written whole to the next.
   */
  release(toAnotherFile = false): void {
    if (toAnotherFile) this.rewindToRecordStart();
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      this.options.driver.close(fd);
    } catch {
      // an already invalid descriptor (EBADF) has nothing left to release
    }
  }

  /**
   * Writes what waits and, with `fsync`, syncs it. While failing, makes one attempt at once and
   * rejects with the error if the file still cannot be written (the bytes stay for the next retry).
   */
  async flush(): Promise<void> {
    if (this.closed) return;
    if (this.failure !== undefined) this.retryNow();
    else this.writeOut();
    if (this.failure !== undefined) throw this.failureError('flush');
    if (this.options.fsync && this.fd !== undefined) await this.options.driver.fsync(this.fd);
  }

  /** Same as `flush`, blocking and without throwing (process exit). */
  flushSync(): void {
    if (this.closed) return;
    if (this.failure !== undefined) this.retryNow();
    else this.writeOut();
    if (this.options.fsync && this.fd !== undefined && this.failure === undefined) {
      try {
        this.options.driver.fsyncSync(this.fd);
      } catch {
        // the bytes are written; a failed sync at exit has no one left to tell
      }
    }
  }

  /**
   * Flushes, closes the file and stops the timers. What still cannot be written is given up: counted
   * in `lostBytes` and reported as dropped records (`reporter.dropped`) before the promise resolves.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    let flushError: unknown;
    try {
      await this.flush();
    } catch (error) {
      flushError = error;
    }
    this.closed = true;
    this.removeExitHook();
    stopTimer(this.flushTimer);
    stopTimer(this.retryTimer);
    this.flushTimer = undefined;
    this.retryTimer = undefined;
    const lost = this.pendingBytes;
    const lostRecords = this.pendingRecords;
    this.parts.clear();
    this.chunk = undefined;
    this.release();
    if (lost > 0) {
      this.counts.lostBytes += lost;
      this.reporter.dropped(lostRecords, `closed with ${lost} bytes it could not write: ${errorText(this.failure ?? flushError)}`);
    } else if (flushError !== undefined) {
      this.reporter.failed(flushError, 0);
    }
  }

  private open(): number {
    if (this.fd !== undefined) return this.fd;
    const { driver, path, mode } = this.options;
    try {
      this.fd = driver.openAppend(path, mode);
    } catch (error) {
      if ((error as { code?: unknown })?.code !== 'ENOENT') throw error;
      driver.makeDirectory(parentOf(path));
      this.fd = driver.openAppend(path, mode);
    }
    this.counts.opens += 1;
    this.openIdentity = this.options.watchInterval > 0 ? driver.identityOf(this.fd) : undefined;
    this.checkedAt = Date.now();
    return this.fd;
  }

  /** Reopens when `path` no longer names the open file (renamed, replaced, deleted with its folder). */
  private followPath(): void {
    if (this.fd === undefined || this.openIdentity === undefined) return;
    const now = Date.now();
    if (now - this.checkedAt < this.options.watchInterval) return;
    this.checkedAt = now;
    if (this.options.driver.identityAt(this.options.path) === this.openIdentity) return;
    this.release(true);
  }

  private writePending(followPath = true): void {
    stopTimer(this.flushTimer);
    this.flushTimer = undefined;
    if (this.chunk === undefined && this.parts.bytes === 0) return;
    if (followPath) this.followPath();
    const fd = this.open();
    const { driver } = this.options;
    for (;;) {
      if (this.chunk === undefined) {
        const next = this.parts.take((text) => driver.encode(text));
        if (next === undefined) return;
        if (typeof next.data === 'string') {
          this.writeText(fd, next.data, next.bytes, next.records);
          continue;
        }
        this.chunk = next.data;
        this.chunkOffset = 0;
        this.chunkRecords = next.records;
      }
      const chunk = this.chunk;
      while (this.chunkOffset < chunk.length) {
        const written = driver.write(fd, chunk, this.chunkOffset, chunk.length - this.chunkOffset);
        if (!(written > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
        this.chunkOffset += written;
        this.counts.bytesWritten += written;
      }
      this.chunk = undefined;
      this.counts.written += this.chunkRecords;
    }
  }

  /** The fast path: one system call with the string; only a short write encodes the rest. */
  private writeText(fd: number, text: string, byteLength: number, records: number): void {
    const { driver } = this.options;
    let written: number;
    try {
      written = driver.writeText(fd, text);
    } catch (error) {
      this.chunk = driver.encode(text);
      this.chunkOffset = 0;
      this.chunkRecords = records;
      throw error;
    }
    this.counts.bytesWritten += written;
    if (written >= byteLength) {
      this.counts.written += records;
      return;
    }
    this.chunk = driver.encode(text);
    this.chunkOffset = written;
    this.chunkRecords = records;
  }

  /** After a short write, a new file must get the whole record again, not its tail. */
  private rewindToRecordStart(): void {
    const chunk = this.chunk;
    if (chunk === undefined || this.chunkOffset === 0 || chunk[this.chunkOffset - 1] === NEWLINE) return;
    const previous = chunk.lastIndexOf(NEWLINE, this.chunkOffset - 1);
    this.chunkOffset = previous + 1;
  }

  private onFlushTimer(): void {
    this.flushTimer = undefined;
    if (!this.writeOut() || !this.options.fsync || this.fd === undefined) return;
    this.options.driver.fsync(this.fd).catch((error: unknown) => this.failed(error));
  }

  private failed(error: unknown): void {
    this.counts.writeErrors += 1;
    if (this.failure === undefined) {
      this.failure = error;
      this.counts.failures += 1;
      const message =
        `cannot write ${this.options.path}: ${errorText(error)}; ` +
        `retrying every ${this.options.retryInterval} ms, keeping up to ${this.options.maxBufferSize} bytes meanwhile`;
      this.reporter.failed(new Error(message, { cause: error }), 0);
    } else {
      this.failure = error;
    }
    this.release();
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    this.retryTimer = startTimer(() => {
      this.retryTimer = undefined;
      this.retryNow();
    }, this.options.retryInterval);
  }

  /** One attempt: reopen (recreating folders) and write what waits. */
  private retryNow(): void {
    if (this.failure === undefined) return;
    stopTimer(this.retryTimer);
    this.retryTimer = undefined;
    this.release();
    const failure = this.failure;
    this.failure = undefined;
    try {
      this.writePending();
      this.open();
    } catch (error) {
      this.failure = failure;
      this.failed(error);
      return;
    }
    this.reporter.notice('info', 'tributary.recovered', `${this.options.name} writes again after ${errorText(failure)}`, { path: this.options.path });
  }

  private failureError(operation: string): Error {
    return new Error(`${this.options.name} could not ${operation}: ${errorText(this.failure)}`, { cause: this.failure });
  }
}

function parentOf(path: string): string {
  const index = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return index <= 0 ? (index === 0 ? path.slice(0, 1) : '.') : path.slice(0, index);
}

/** The error's text, with its system code (`ENOSPC`) even where the runtime's message leaves it out. */
function errorText(error: unknown): string {
  const text = describeThrown(error);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}
