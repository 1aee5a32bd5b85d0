import { SinkClosedError, jsonLinesFormatter } from '@tributary/core';
import { describeThrown, entryByteLength, joinBatch, startTimer, stopTimer } from '@tributary/core/sink';
import type { Formatter, LogEntry, Sink } from '@tributary/core';
import { FileSinkFullError, FileWriter, prepareLogPath, resolveWriterOptions } from '@tributary/sink-file';
import type { FileWriterStats } from '@tributary/sink-file';
import { nodeRotationDriver } from './driver.ts';
import type { RotationDriver } from './driver.ts';
import { BackupNames } from './internal/backups.ts';
import { Compressor } from './internal/compressor.ts';
import { IntervalClock } from './internal/intervals.ts';
import { resolveRotation } from './options.ts';
import type { ResolvedRotation, RotatingFileSinkOptions } from './options.ts';

/** What a rotating file sink has done so far. */
export interface RotatingFileSinkStats extends FileWriterStats {
  /** Rotations done. */
  readonly rotations: number;
  /** Bytes in the current file (with a custom formatter and only the time trigger set: characters). */
  readonly currentSize: number;
}

/** A sink that writes `app.log` and rotates it by size and/or time. */
export interface RotatingFileSink extends Sink {
  readonly path: string;
  readonly stats: RotatingFileSinkStats;
}

/** Longest wait of the time-trigger timer before it looks at the clock again. */
const MAX_TIMER_WAIT = 3_600_000;

/**
 * A sink that writes records to `path` (always the current file) and rotates it by size, by time or
 * both, naming rotated files as logrotate does. Only the listener writes, so rotation never races.
 * On start it reads the current size and the existing backups from disk and carries on.
 *
 * ```ts
 * rotatingFileSink({ path: 'logs/app.log', maxSize: 10 * 1024 * 1024, maxFiles: 5, compress: true });
 * ```
 */
export function rotatingFileSink(options: RotatingFileSinkOptions): RotatingFileSink {
  const rotation = resolveRotation(options);
  const driver = options.driver ?? nodeRotationDriver;
  const writer = new FileWriter(resolveWriterOptions({ ...options, driver }, options.name ?? `rotating-file:${options?.path}`, 'rotatingFileSink'));
  if (options.format !== undefined && typeof options.format !== 'function') throw new TypeError('rotatingFileSink: format must be a function');
  prepareLogPath(writer.options.path, 'rotatingFileSink');
  return new RotatingSink(writer, driver, rotation, options.format);
}

class RotatingSink implements RotatingFileSink {
  private readonly names: BackupNames;
  private readonly clock: IntervalClock | undefined;
  private readonly compressor: Compressor;
  private readonly format: Formatter | undefined;
  /** UTF-8 length of a line that arrived as text, counted by the driver (natively where it can). */
  private readonly measure = (text: string): number => this.driver.byteLength(text);
  private size: number;
  private fileInterval = 0;
  private nextBoundary = Number.POSITIVE_INFINITY;
  private rotationBlockedUntil = Number.NEGATIVE_INFINITY;
  private rotations = 0;
  private timer: unknown;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly writer: FileWriter,
    private readonly driver: RotationDriver,
    private readonly rotation: ResolvedRotation,
    format: Formatter | undefined,
  ) {
    this.format = format === jsonLinesFormatter ? undefined : format;
    const path = writer.options.path;
    const slash = path.lastIndexOf('/');
    this.clock = rotation.interval === undefined ? undefined : new IntervalClock(rotation.interval, rotation.utc);
    this.names = new BackupNames(slash < 0 ? '' : path.slice(0, slash) || '/', path.slice(slash + 1), driver, this.clock);
    this.compressor = new Compressor(driver, this.names, writer.options.mode, writer.options.name, writer.options.onReport);
    this.size = writer.fileSize();
    this.compressor.removeLeftovers();
    if (this.clock !== undefined) {
      const now = rotation.clock();
      const modified = this.size > 0 ? driver.info(path)?.mtimeMs : undefined;
      this.fileInterval = this.clock.startOf(modified ?? now);
      this.nextBoundary = this.clock.nextAfter(this.fileInterval);
      this.armTimer();
    }
  }

  get name(): string {
    return this.writer.options.name;
  }

  get path(): string {
    return this.writer.options.path;
  }

  get stats(): RotatingFileSinkStats {
    return { ...this.writer.stats, rotations: this.rotations, currentSize: this.size };
  }

  write(batch: readonly LogEntry[]): void {
    if (this.closed) throw new SinkClosedError(this.name);
    if (this.writer.failing) {
      let size = 0;
      for (const entry of batch) size += (this.format === undefined ? entryByteLength(entry, this.measure) : entry.line.length) + 1;
      if (!this.writer.canAccept(size)) {
        throw new FileSinkFullError(`${this.name} cannot write and holds ${this.writer.pendingBytes} bytes already: ${batch.length} records refused`);
      }
    }
    if (this.clock !== undefined) this.rotateIfDue(this.rotation.clock());
    if (this.format === undefined) this.appendBytes(batch);
    else this.appendText(batch, this.format);
  }

  /**
   * The canonical lines (records from a worker's ring as the bytes it wrote, others as text, as
   * core's `joinBatch` gives them), in slices of the batch cut where the size trigger rotates.
   */
  private appendBytes(batch: readonly LogEntry[]): void {
    const { maxSize } = this.rotation;
    if (maxSize === undefined) {
      const lines = joinBatch(batch);
      this.size += typeof lines === 'string' ? this.driver.byteLength(lines) : lines.length;
      this.writer.append(lines);
      return;
    }
    let start = 0;
    for (let index = 0; index < batch.length; index++) {
      const bytes = entryByteLength(batch[index] as LogEntry, this.measure) + 1;
      if (this.size > 0 && this.size + bytes > maxSize && this.canRotate()) {
        this.writer.append(joinBatch(batch.slice(start, index)));
        start = index;
        this.rotate(this.rotation.clock());
      }
      this.size += bytes;
    }
    this.writer.append(joinBatch(start === 0 ? batch : batch.slice(start)));
  }

  /** A custom formatter's lines as text, cut where the size trigger rotates. */
  private appendText(batch: readonly LogEntry[], format: Formatter): void {
    const { maxSize } = this.rotation;
    let text = '';
    for (const entry of batch) {
      const line = `${format(entry)}\n`;
      if (maxSize === undefined) {
        this.size += line.length;
      } else {
        const bytes = this.driver.byteLength(line);
        if (this.size > 0 && this.size + bytes > maxSize && this.canRotate()) {
          this.writer.append(text);
          text = '';
          this.rotate(this.rotation.clock());
        }
        this.size += bytes;
      }
      text += line;
    }
    this.writer.append(text);
  }

  writeSync(batch: readonly LogEntry[]): void {
    this.write(batch);
    this.writer.flushSync();
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.writer.flush();
  }

  close(): Promise<void> {
    this.closing ??= this.runClose();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async runClose(): Promise<void> {
    this.closed = true;
    stopTimer(this.timer);
    try {
      await this.writer.close();
    } finally {
      await this.compressor.idle();
    }
  }

  /** Time trigger: archives the current file once its interval is over (an empty file just carries on). */
  private rotateIfDue(now: number): void {
    const clock = this.clock;
    if (clock === undefined || now < this.nextBoundary) return;
    if (this.size > 0) this.rotate(now);
    else {
      this.fileInterval = clock.startOf(now);
      this.nextBoundary = clock.nextAfter(now);
    }
  }

  /**
   * Writes what waits to the current file, renames it to its backup name, prunes, and opens a new
   * current file. Deferred while the file cannot be written; after a failed rename, retried no sooner
   * than `retryInterval` later (the file grows meanwhile: no record is ever dropped for rotation).
   */
  private rotate(now: number): void {
    if (!this.canRotate(now)) return;
    if (!this.writer.writeOut()) return;
    this.writer.release(true);
    const path = this.writer.options.path;
    try {
      const target = this.clock === undefined ? this.names.shift() : this.names.datedName(this.fileInterval);
      if (this.clock === undefined) this.compressor.shifted();
      let moved = true;
      try {
        this.driver.rename(path, target);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
        moved = false; // the current file was removed by someone else: nothing to archive
      }
      this.rotations += 1;
      if (moved && this.rotation.compress) this.compressor.start(target);
      this.names.prune(this.rotation.maxFiles, this.rotation.maxAge, now);
    } catch (error) {
      this.rotationBlockedUntil = now + this.writer.options.retryInterval;
      const message = `${this.name} could not rotate: ${describeThrown(error)}; writing on to the current file`;
      try {
        this.writer.options.onReport({ kind: 'rotate-failed', sink: this.name, message, error });
      } catch {
        // a throwing report handler must not break the sink
      }
    }
    this.size = this.writer.fileSize();
    if (this.clock !== undefined) {
      this.fileInterval = this.clock.startOf(now);
      this.nextBoundary = this.clock.nextAfter(now);
    }
  }

  /** False while rotation is deferred: the file cannot be written, or a failed rename waits out `retryInterval`. */
  private canRotate(now = this.rotation.clock()): boolean {
    return !this.writer.failing && now >= this.rotationBlockedUntil;
  }

  /** Rotates at the interval's end even when nothing is written; unref'd. */
  private armTimer(): void {
    stopTimer(this.timer);
    if (this.closed || this.clock === undefined) return;
    const wait = Math.min(Math.max(this.nextBoundary - this.rotation.clock(), 1_000), MAX_TIMER_WAIT);
    this.timer = startTimer(() => {
      this.rotateIfDue(this.rotation.clock());
      this.armTimer();
    }, wait);
  }
}
