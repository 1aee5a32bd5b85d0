import { SinkClosedError } from '@tributary/core';
import type { Formatter, LogEntry, Sink } from '@tributary/core';
import { FileWriter } from './file-writer.ts';
import type { FileWriterStats } from './file-writer.ts';
import { onHangup } from './internal/process-hooks.ts';
import { joinLines } from './internal/join-lines.ts';
import { prepareLogPath } from './internal/prepare-folders.ts';
import { resolveWriterOptions } from './options.ts';
import type { FileSinkOptions } from './options.ts';

/** A sink that appends lines to one file. */
export interface FileSink extends Sink {
  /** The file's path. */
  readonly path: string;
  /** Bytes written, errors, failures, what waits in memory. */
  readonly stats: FileWriterStats;
  /**
   * Writes what waits to the file as it is open now, then opens the path anew. Call it after an
   * external tool renamed the file (logrotate without `copytruncate`).
   */
  reopen(): Promise<void>;
}

/** Thrown by `write` when the file cannot be written and the waiting batch would exceed `maxBufferSize`. */
export class FileSinkFullError extends Error {
  override readonly name = 'FileSinkFullError';
  /** A stable code for recognising this error across realms. */
  readonly code = 'TRIBUTARY_FILE_SINK_FULL';
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
  if (options.format !== undefined && typeof options.format !== 'function') throw new TypeError('fileSink: format must be a function');
  prepareLogPath(resolved.path, 'fileSink');
  return new AppendingFileSink(new FileWriter(resolved), options.format, options.sighup === true);
}

class AppendingFileSink implements FileSink {
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly removeHangup: () => void;

  constructor(
    private readonly writer: FileWriter,
    private readonly format: Formatter | undefined,
    sighup: boolean,
  ) {
    writer.openNow();
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

  write(batch: readonly LogEntry[]): void {
    if (this.closed) throw new SinkClosedError(this.name);
    const lines = joinLines(batch, this.format);
    if (!this.writer.canAccept(lines.length)) {
      throw new FileSinkFullError(`${this.name} cannot write and holds ${this.writer.pendingBytes} bytes already: ${batch.length} records refused`);
    }
    this.writer.append(lines);
  }

  writeSync(batch: readonly LogEntry[]): void {
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
}
