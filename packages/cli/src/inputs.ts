import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import { gunzipIfCompressed, isGzipMagic } from './gzip.ts';
import { LineSplitter } from './line-splitter.ts';
import { OutputClosedError } from './output.ts';
import type { Stopper } from './stopper.ts';
import { UsageError } from './usage-error.ts';

/** Where complete lines go, in order; resolves when the output can take more. */
export type LineConsumer = (lines: readonly string[]) => Promise<void>;

/** How many bytes one read of a plain file takes. */
const READ_SIZE = 64 * 1024;

/** An input file, opened (so a missing or unreadable file is found before anything is printed). */
export class InputFile {
  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private identity: FileIdentity,
    readonly gzipped: boolean,
  ) {}

  /** Opens `path`; throws a {@link UsageError} naming it when it cannot be read. */
  static async open(path: string): Promise<InputFile> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(path, 'r');
      const info = await handle.stat();
      if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      const head = new Uint8Array(2);
      const { bytesRead } = await handle.read(head, 0, 2, 0);
      return new InputFile(path, handle, identityOf(info), isGzipMagic(head.subarray(0, bytesRead)));
    } catch (error) {
      await handle?.close().catch(() => {});
      throw new UsageError(`cannot read ${path}: ${describe(error)}`);
    }
  }

  /** Closes the file without reading it. */
  async close(): Promise<void> {
    await this.handle.close().catch(() => {});
  }

  /** Reads the whole file once (gunzipped if it is gzip) and closes it; stops early on Ctrl-C. */
  async readOnce(consume: LineConsumer, stopper: Stopper): Promise<void> {
    try {
      if (this.gzipped) {
        await readStream(gunzipIfCompressed(this.handle.createReadStream({ start: 0, autoClose: false })), consume, stopper);
        return;
      }
      const reader = new PlainReader(this.handle);
      await reader.readAvailable(consume, stopper);
      await consume(reader.splitter.finish());
    } catch (error) {
      throw readFailure(this.path, error);
    } finally {
      await this.handle.close().catch(() => {});
    }
  }

  /**
   * Reads the file, then follows it as it grows until Ctrl-C, polling every `pollIntervalMs`:
   * across a rotation by rename (the path names a new file: the old one is read to its end, then
   * the new one from its start) and a copytruncate (the file became shorter than what was read:
   * read again from its start, with a note on stderr). A gzipped file is read once.
   */
  async follow(consume: LineConsumer, stopper: Stopper, pollIntervalMs: number, note: (message: string) => void): Promise<void> {
    if (this.gzipped) return this.readOnce(consume, stopper);
    let reader = new PlainReader(this.handle);
    try {
      for (;;) {
        await reader.readAvailable(consume);
        if (stopper.stopped) break;
        await stopper.sleep(pollIntervalMs);
        if ((await this.handle.stat()).size < reader.position) {
          note(`${this.path}: file truncated, reading it from the start`);
          await consume(reader.splitter.finish());
          reader = new PlainReader(this.handle);
          continue;
        }
        const current = await stat(this.path).catch(() => undefined); // gone: renamed away, the new file not there yet
        if (current === undefined || sameFile(identityOf(current), this.identity)) continue;
        await reader.readAvailable(consume);
        await consume(reader.splitter.finish());
        const next = await open(this.path, 'r').catch(() => undefined);
        if (next === undefined) continue;
        await this.handle.close().catch(() => {});
        this.handle = next;
        this.identity = identityOf(await next.stat());
        note(`${this.path}: the file was replaced (rotated), following the new one`);
        reader = new PlainReader(next);
      }
      await consume(reader.splitter.finish());
    } catch (error) {
      throw readFailure(this.path, error);
    } finally {
      await this.handle.close().catch(() => {});
    }
  }
}

/** Reads a byte stream to its end (standard input, a gzipped file), line by line. */
export async function readStream(source: AsyncIterable<Uint8Array>, consume: LineConsumer, stopper?: Stopper): Promise<void> {
  const splitter = new LineSplitter();
  for await (const chunk of source) {
    await consume(splitter.push(chunk));
    if (stopper?.stopped === true) return;
  }
  await consume(splitter.finish());
}

/** Reads a plain file from a position on, by explicit offsets (so a truncation can be seen). */
class PlainReader {
  readonly splitter = new LineSplitter();
  position = 0;
  private readonly buffer = new Uint8Array(READ_SIZE);

  constructor(private readonly handle: FileHandle) {}

  /** Reads until the end of what the file holds now. */
  async readAvailable(consume: LineConsumer, stopper?: Stopper): Promise<void> {
    for (;;) {
      const { bytesRead } = await this.handle.read(this.buffer, 0, this.buffer.length, this.position);
      if (bytesRead === 0) return;
      this.position += bytesRead;
      await consume(this.splitter.push(this.buffer.subarray(0, bytesRead)));
      if (stopper?.stopped === true) return;
    }
  }
}

interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
}

function identityOf(info: { dev: number; ino: number }): FileIdentity {
  return { dev: info.dev, ino: info.ino };
}

function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** A failure to read `path` as a {@link UsageError}; an error of the output (the reader went away) as it is. */
function readFailure(path: string, error: unknown): unknown {
  if (error instanceof OutputClosedError || error instanceof UsageError) return error;
  return new UsageError(`cannot read ${path}: ${describe(error)}`);
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code !== 'string') return message;
  const plain = message.replace(new RegExp(`^${code}: `), '').replace(/, (open|read) '.*'$/, '');
  return `${plain} (${code})`;
}
