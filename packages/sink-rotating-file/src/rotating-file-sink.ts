import { SinkClosedError, jsonLinesFormatter } from '@tributary/core';
import { SinkReporter, describeThrown, functionOption, startTimer, stopTimer } from '@tributary/core/sink';
import type { Batch, SinkContext } from '@tributary/core/sink';
import type { Formatter, Sink } from '@tributary/core';
import { FileWriter, prepareLogPath, resolveWriterOptions } from '@tributary/sink-file';
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
  /** UTF-8 bytes in the current file. */
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
  const resolved = resolveWriterOptions({ ...options, driver }, options.name ?? `rotating-file:${options?.path}`, 'rotatingFileSink');
  const format = functionOption<Formatter, undefined>('rotatingFileSink', 'format', options.format, undefined);
  prepareLogPath(resolved.path, 'rotatingFileSink', resolved.driver);
  return new RotatingSink(new FileWriter(resolved, new SinkReporter(resolved.name)), driver, rotation, format);
}

class RotatingSink implements RotatingFileSink {
  /** `writeSync` rotates, appends and writes out at once: the listener may use it for back-pressure (see `Sink.syncBackPressure`). */
  readonly syncBackPressure = true;
  private readonly names: BackupNames;
  private readonly clock: IntervalClock | undefined;
  private readonly compressor: Compressor;
  private readonly format: Formatter | undefined;
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
    this.compressor = new Compressor(driver, this.names, writer.options.mode, writer.options.name, writer.reporter);
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

  open(context: SinkContext): void {
    this.writer.reporter.open(context);
  }

  write(batch: Batch): void {
    if (this.closed) throw new SinkClosedError(this.name);
    if (this.writer.failing && !this.writer.canAccept(batch.byteLength)) {
      const held = this.writer.pendingBytes;
      this.writer.reporter.dropped(
        batch.length,
        `the file cannot be written and ${held} bytes wait already (maxBufferSize ${this.writer.options.maxBufferSize})`,
      );
      return;
    }
    if (this.clock !== undefined) this.rotateIfDue(this.rotation.clock());
    if (this.format === undefined) this.appendBytes(batch);
    else this.appendText(batch, this.format);
  }

  /**
   * The canonical lines as bytes (records from a worker thread as the bytes it wrote), in slices of
   * the batch cut where the size trigger rotates. A batch that fits is appended whole, measured once.
   */
  private appendBytes(batch: Batch): void {
    const { maxSize } = this.rotation;
    let rest = batch;
    let rotated = false;
    for (;;) {
      const bytes = rest.bytes(); // encoded once (or a view of a worker's bytes); its length is the byte length
      if (maxSize === undefined || this.size + bytes.length <= maxSize || !this.canRotate()) {
        this.size += bytes.length;
        this.writer.append(bytes, rest.length, bytes.length);
        return;
      }
      // At least one record goes to an empty file, however long it is.
      const fitting = Math.max(this.size === 0 || rotated ? 1 : 0, recordsWithin(rest, maxSize - this.size));
      if (fitting > 0) {
        const head = rest.slice(0, fitting);
        this.size += head.byteLength;
        this.writer.append(head.bytes(), head.length, head.byteLength);
        rest = rest.slice(fitting);
        if (rest.length === 0) return;
      }
      this.rotate(this.rotation.clock());
      rotated = true;
    }
  }

  /** A custom formatter's lines as text, cut where the size trigger rotates. */
  private appendText(batch: Batch, format: Formatter): void {
    const { maxSize } = this.rotation;
    let text = '';
    let records = 0;
    for (const entry of batch) {
      const line = `${format(entry)}\n`;
      const bytes = this.driver.byteLength(line);
      if (maxSize !== undefined && this.size > 0 && this.size + bytes > maxSize && this.canRotate()) {
        this.writer.append(text, records);
        text = '';
        records = 0;
        this.rotate(this.rotation.clock());
      }
      this.size += bytes;
      text += line;
      records += 1;
    }
    this.writer.append(text, records);
  }

  writeSync(batch: Batch): void {
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
      this.writer.reporter.failed(new Error(message, { cause: error }), 0);
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

/** How many leading records of `batch` fit in `room` UTF-8 bytes (a binary search over its slices' lengths). */
function recordsWithin(batch: Batch, room: number): number {
  let low = 0;
  let high = batch.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (batch.slice(0, middle).byteLength <= room) low = middle;
    else high = middle - 1;
  }
  return low;
}
