import { SinkClosedError, jsonLinesFormatter } from '@tributary/core';
import type { Formatter, Sink } from '@tributary/core';
import { SinkReporter, booleanOption, functionOption } from '@tributary/core/sink';
import type { Batch, SinkContext } from '@tributary/core/sink';
import { FileWriter } from './file-writer.ts';
import type { FileWriterStats } from './file-writer.ts';
import { onHangup } from './internal/process-hooks.ts';
import { prepareLogPath } from './internal/prepare-folders.ts';
import { resolveWriterOptions } from './options.ts';
import type { FileSinkOptions } from './options.ts';

/** A sink that appends lines to one file. */
export interface FileSink extends Sink {
  /** The file's path. */
  readonly path: string;
  /** Records written, dropped, failed and pending, bytes written, errors, what waits in memory. */
  readonly stats: FileWriterStats;
  /**
   * Writes what waits to the file as it is open now, then opens the path anew. Call it after an
   * external tool renamed the file (logrotate without `copytruncate`).
   */
  reopen(): Promise<void>;
}

/**
 * A sink that appends records, one line each, to a file opened in append mode (so an external
 * `copytruncate` leaves no holes). See {@link FileSinkOptions} for buffering and the retry policy.
 *
 * ```ts
 * const listener = new QueueListener({ sinks: [fileSink({ path: 'logs/app.log', sighup: true })] });
 * ```
 */
export function fileSink(options: FileSinkOptions): FileSink {
  const resolved = resolveWriterOptions(options, options?.name, 'fileSink');
  const format = functionOption<Formatter, undefined>('fileSink', 'format', options.format, undefined);
  const sighup = booleanOption('fileSink', 'sighup', options.sighup, false);
  prepareLogPath(resolved.path, 'fileSink', resolved.driver);
  return new AppendingFileSink(new FileWriter(resolved, new SinkReporter(resolved.name)), format === jsonLinesFormatter ? undefined : format, sighup);
}

class AppendingFileSink implements FileSink {
  /** `writeSync` appends and writes out at once: the listener may use it for back-pressure (see `Sink.syncBackPressure`). */
  readonly syncBackPressure = true;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly removeHangup: () => void;

  constructor(
    private readonly writer: FileWriter,
    private readonly format: Formatter | undefined,
    sighup: boolean,
  ) {
    this.removeHangup = sighup ? onHangup(() => this.writer.reopen()) : () => {};
  }

  get name(): string {
    return this.writer.options.name;
  }

  get path(): string {
    return this.writer.options.path;
  }

  get stats(): FileWriterStats {
    return this.writer.stats;
  }

  /** Takes the listener's context, then opens the file (a failure to open is reported there). */
  open(context: SinkContext): void {
    this.writer.reporter.open(context);
    this.writer.openNow();
  }

  write(batch: Batch): void {
    if (this.closed) throw new SinkClosedError(this.name);
    this.writer.openNow(); // once: a sink used without a listener opens its file at the first write
    if (this.format === undefined) {
      // The fast path: the canonical lines as they are, a view of the bytes a worker thread wrote where
      // they came from it, else the text (encoded by the write itself, with no array in between).
      const lines = batch.jsonLines();
      const bytes = typeof lines === 'string' ? this.writer.options.driver.byteLength(lines) : lines.length;
      if (!this.accepts(batch, bytes)) return;
      this.writer.append(lines, batch.length, bytes);
    } else {
      const text = batch.format(this.format);
      const bytes = this.writer.options.driver.byteLength(text);
      if (!this.accepts(batch, bytes)) return;
      this.writer.append(text, batch.length, bytes);
    }
  }

  writeSync(batch: Batch): void {
    this.write(batch);
    this.writer.flushSync();
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return this.writer.flush();
  }

  async reopen(): Promise<void> {
    if (!this.closed) this.writer.reopen();
  }

  close(): Promise<void> {
    if (this.closing === undefined) {
      this.closed = true;
      this.removeHangup();
      this.closing = this.writer.close();
    }
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** False (and the batch reported dropped) when the file is failing and the batch would exceed `maxBufferSize`. */
  private accepts(batch: Batch, bytes: number): boolean {
    if (this.writer.canAccept(bytes)) return true;
    const held = this.writer.pendingBytes;
    this.writer.reporter.dropped(
      batch.length,
      `the file cannot be written and ${held} bytes wait already (maxBufferSize ${this.writer.options.maxBufferSize})`,
    );
    return false;
  }
}
