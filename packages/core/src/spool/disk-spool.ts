import { utf8Length } from '../entry-bytes.ts';
import { describeThrown } from '../encode/json-value.ts';
import { newTextDecoder, newTextEncoder } from '../internal/host.ts';
import type { SinkContext } from '../sink.ts';
import { nodeSpoolFiles } from './spool-files.ts';
import type { SpoolFiles } from './spool-files.ts';
import { releaseSpoolLock, takeSpoolLock } from './spool-lock.ts';
import type { ResolvedSpoolOptions } from './spool-options.ts';

/** The oldest spooled records not yet handed out, from one spool file: send them, then {@link DiskSpool.confirm} the file. */
export interface SpoolChunk {
  /** The spool file they came from. */
  readonly segment: number;
  /** Their canonical lines, oldest first. */
  readonly lines: readonly string[];
}

interface Segment {
  readonly id: number;
  readonly path: string;
  lines: number;
  bytes: number;
  /** Handed out by takeOldest (its records are in the sink's memory, its file stays until confirmed). */
  taken: boolean;
}

const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;
const FIRST_SEGMENT = 1_000_000_000_000_000;
const MAX_SEGMENT_BYTES = 1024 * 1024;
const encoder = newTextEncoder();
const decoder = newTextDecoder();

/**
 * A sink's disk spool: records it cannot deliver now, kept in `dir` as JSON lines (their canonical
 * lines) in a series of spool files (0600) of at most 1 MiB (an eighth of `maxBytes` when smaller),
 * oldest first, behind a lock file that keeps every other sink and process out. Appends are
 * synchronous (usable on the process's way out) and never throw: what cannot be kept is reported
 * dropped, with its exact count, through the `SinkContext` given. Oldest records come out first
 * ({@link takeOldest}), one spool file at a time; its file is removed once the sink
 * {@link confirm}s its records, so a crash before that sends them again (at least once).
 */
export class DiskSpool {
  private readonly segments: Segment[] = [];
  private readonly segmentBytes: number;
  private tailFd: number | undefined;
  private tornLines = 0;
  private restoredRecords = 0;
  private announced = false;
  private closed = false;

  /**
   * Opens (or creates) the spool of `options.name` in `options.dir`: takes its lock (throws,
   * naming the other pid, when it is in use), reads what an earlier run left and cuts a torn last
   * line off (counted and reported by {@link announce}). `where` starts error messages.
   */
  static open(options: ResolvedSpoolOptions, where: string, files: SpoolFiles = nodeSpoolFiles): DiskSpool {
    return new DiskSpool(options, where, files);
  }

  private readonly base: string;
  private readonly lockPath: string;

  private constructor(
    private readonly options: ResolvedSpoolOptions,
    where: string,
    private readonly files: SpoolFiles,
  ) {
    this.base = fileBase(options.name);
    this.lockPath = joinPath(options.dir, `${this.base}.lock`);
    this.segmentBytes = Math.max(1, Math.min(MAX_SEGMENT_BYTES, Math.floor(options.maxBytes / 8)));
    try {
      files.makeDirectory(options.dir, DIRECTORY_MODE);
    } catch (error) {
      throw new Error(`${where}: cannot create the spool folder ${options.dir} (spool.dir): ${describeThrown(error)}`);
    }
    takeSpoolLock(files, this.lockPath, where);
    try {
      this.load();
    } catch (error) {
      releaseSpoolLock(files, this.lockPath);
      throw new Error(`${where}: cannot read the spool in ${options.dir}: ${describeThrown(error)}`);
    }
    this.restoredRecords = this.records;
  }

  /** The spool's folder. */
  get dir(): string {
    return this.options.dir;
  }

  /** Records on disk not handed out yet. */
  get records(): number {
    let total = 0;
    for (const segment of this.segments) if (!segment.taken) total += segment.lines;
    return total;
  }

  /** Bytes of all spool files (those handed out and not confirmed included). */
  get bytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.bytes;
    return total;
  }

  /** Once, after the sink got its context: reports the torn line skipped at load (dropped) and the records found (a `tributary.spool_restored` notice). */
  announce(reporter: SinkContext, sinkName: string): void {
    if (this.announced) return;
    this.announced = true;
    reporter.dropped(this.tornLines, `a torn last line in the spool in ${this.dir} (an append cut short, e.g. by a power cut) was skipped`);
    if (this.restoredRecords > 0) {
      reporter.notice('info', 'tributary.spool_restored', 'tributary.spool_restored', { sink: sinkName, dir: this.dir, records: this.restoredRecords });
    }
  }

  /** Appends `lines` (newer than everything spooled), within `maxBytes`; what does not fit is dropped per `overflow` and reported. Returns how many were kept. */
  append(lines: readonly string[], reporter: SinkContext): number {
    if (lines.length === 0) return 0;
    if (this.closed) return this.refuse(lines.length, reporter);
    const sizes = lines.map((line) => utf8Length(line) + 1);
    const need = sum(sizes);
    if (need > this.room() && this.options.overflow === 'oldest') this.dropSegments(need - this.room(), 'oldest', [], reporter);
    let kept: readonly string[] = lines;
    let keptSizes: readonly number[] = sizes;
    if (need > this.room()) {
      [kept, keptSizes] = this.fitting(lines, sizes, this.room());
      this.reportFull(lines.length - kept.length, this.options.overflow, reporter);
    }
    if (kept.length === 0) return 0;
    try {
      this.writeAppend(kept, keptSizes);
      return kept.length;
    } catch (error) {
      this.closeTail();
      reporter.dropped(kept.length, `could not append to the spool in ${this.dir}: ${describeThrown(error)}`);
      return 0;
    }
  }

  /**
   * Writes `lines` (older than everything spooled) before the oldest spool file, in place of the
   * handed-out files `replacing` (their records are among `lines`), which are then removed: for
   * what the sink held in memory when it has to stop. Within `maxBytes`, per `overflow`. Returns how many were kept.
   */
  prepend(lines: readonly string[], replacing: readonly number[], reporter: SinkContext): number {
    if (this.closed) return this.refuse(lines.length, reporter);
    const replaced = this.segments.filter((segment) => replacing.includes(segment.id));
    const freed = sum(replaced.map((segment) => segment.bytes));
    const sizes = lines.map((line) => utf8Length(line) + 1);
    const room = (): number => this.room() + freed;
    if (sum(sizes) > room() && this.options.overflow === 'newest') this.dropSegments(sum(sizes) - room(), 'newest', replacing, reporter);
    let kept: readonly string[] = lines;
    let keptSizes: readonly number[] = sizes;
    if (sum(sizes) > room()) {
      [kept, keptSizes] = this.fitting(lines, sizes, room());
      this.reportFull(lines.length - kept.length, this.options.overflow, reporter);
    }
    try {
      const chunks = chunked(kept, keptSizes, this.segmentBytes);
      let id = (this.segments[0]?.id ?? FIRST_SEGMENT) - chunks.length;
      const written: Segment[] = [];
      for (const chunk of chunks) written.push(this.writeSegment(id++, chunk.lines, chunk.bytes));
      this.segments.unshift(...written);
    } catch (error) {
      reporter.dropped(kept.length, `could not write to the spool in ${this.dir}: ${describeThrown(error)}`);
      kept = [];
    }
    for (const segment of replaced) this.removeSegment(segment);
    return kept.length;
  }

  /** Hands out the oldest spool file's records not handed out yet (undefined: none); a file that cannot be read is reported dropped. */
  takeOldest(reporter: SinkContext): SpoolChunk | undefined {
    for (;;) {
      const segment = this.segments.find((candidate) => !candidate.taken);
      if (segment === undefined || this.closed) return undefined;
      if (this.segments.at(-1) === segment) this.closeTail();
      segment.taken = true;
      try {
        const text = decoder.decode(this.files.read(segment.path));
        const lines = text.split('\n');
        lines.pop();
        return { segment: segment.id, lines };
      } catch (error) {
        reporter.dropped(segment.lines, `could not read the spool file ${segment.path}: ${describeThrown(error)}`);
        this.removeSegment(segment);
      }
    }
  }

  /** The records of a handed-out spool file are delivered (or counted): its file is removed. */
  confirm(segmentId: number): void {
    const segment = this.segments.find((candidate) => candidate.id === segmentId);
    if (segment !== undefined) this.removeSegment(segment);
  }

  /** Closes the files and gives the lock back; what is spooled stays for the next start. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeTail();
    releaseSpoolLock(this.files, this.lockPath);
  }

  /** The lines of `lines` that fit in `room` bytes: the oldest (overflow 'newest') or the newest (overflow 'oldest'). */
  private fitting(lines: readonly string[], sizes: readonly number[], room: number): [readonly string[], readonly number[]] {
    if (this.options.overflow === 'newest') {
      const fit = fittingPrefix(sizes, room);
      return [lines.slice(0, fit), sizes.slice(0, fit)];
    }
    const fit = fittingPrefix([...sizes].reverse(), room);
    return [lines.slice(lines.length - fit), sizes.slice(sizes.length - fit)];
  }

  private refuse(records: number, reporter: SinkContext): number {
    reporter.dropped(records, `the spool in ${this.dir} was closed`);
    return 0;
  }

  private room(): number {
    return this.options.maxBytes - this.bytes;
  }

  private load(): void {
    const prefix = `${this.base}.`;
    for (const name of this.files.list(this.options.dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.jsonl')) continue;
      const id = Number(name.slice(prefix.length, -'.jsonl'.length));
      if (Number.isSafeInteger(id)) this.segments.push({ id, path: joinPath(this.options.dir, name), lines: 0, bytes: 0, taken: false });
    }
    this.segments.sort((a, b) => a.id - b.id);
    for (const segment of [...this.segments]) {
      const bytes = this.files.read(segment.path);
      const end = bytes.lastIndexOf(0x0a) + 1;
      if (end < bytes.length) {
        this.tornLines += 1;
        this.files.truncate(segment.path, end);
      }
      let lines = 0;
      for (let index = 0; index < end; index++) if (bytes[index] === 0x0a) lines += 1;
      segment.lines = lines;
      segment.bytes = end;
      if (lines === 0) this.removeSegment(segment);
    }
  }

  private writeAppend(lines: readonly string[], sizes: readonly number[]): void {
    if ((this.segments.at(-1)?.bytes ?? 0) >= this.segmentBytes) this.closeTail();
    const writable = this.tailFd !== undefined ? this.segments.at(-1) : undefined;
    const chunks = chunked(lines, sizes, this.segmentBytes, writable?.bytes ?? 0);
    for (let index = 0; index < chunks.length; index++) {
      const chunk = chunks[index] as (typeof chunks)[number];
      let tail = this.segments.at(-1);
      if (this.tailFd === undefined || tail === undefined || index > 0) {
        this.closeTail();
        const id = (tail?.id ?? FIRST_SEGMENT - 1) + 1;
        tail = { id, path: joinPath(this.options.dir, `${this.base}.${id}.jsonl`), lines: 0, bytes: 0, taken: false };
        this.tailFd = this.files.openAppend(tail.path, FILE_MODE);
        this.segments.push(tail);
      }
      this.files.writeAll(this.tailFd, encoder.encode(`${chunk.lines.join('\n')}\n`));
      tail.lines += chunk.lines.length;
      tail.bytes += chunk.bytes;
    }
  }

  private writeSegment(id: number, lines: readonly string[], bytes: number): Segment {
    const path = joinPath(this.options.dir, `${this.base}.${id}.jsonl`);
    const fd = this.files.openAppend(path, FILE_MODE);
    try {
      this.files.writeAll(fd, encoder.encode(`${lines.join('\n')}\n`));
    } finally {
      this.files.close(fd);
    }
    return { id, path, lines: lines.length, bytes, taken: false };
  }

  /** Drops whole spool files not handed out, from the `end` given, until `bytes` are freed; reports their records. */
  private dropSegments(bytes: number, end: 'oldest' | 'newest', keep: readonly number[], reporter: SinkContext): void {
    let freed = 0;
    let records = 0;
    const candidates = this.segments.filter((segment) => !segment.taken && !keep.includes(segment.id));
    if (end === 'newest') candidates.reverse();
    for (const segment of candidates) {
      if (freed >= bytes) break;
      if (segment === this.segments.at(-1)) this.closeTail();
      freed += segment.bytes;
      records += segment.lines;
      this.removeSegment(segment);
    }
    this.reportFull(records, end, reporter);
  }

  private reportFull(records: number, end: 'oldest' | 'newest', reporter: SinkContext): void {
    reporter.dropped(records, `the spool in ${this.dir} was full (spool.maxBytes ${this.options.maxBytes}): the ${end} records were dropped`);
  }

  private removeSegment(segment: Segment): void {
    const index = this.segments.indexOf(segment);
    if (index < 0) return;
    if (index === this.segments.length - 1) this.closeTail();
    this.segments.splice(index, 1);
    try {
      this.files.remove(segment.path);
    } catch {
      // its records were counted; a file left behind is read again at the next start (at least once)
    }
  }

  private closeTail(): void {
    const fd = this.tailFd;
    this.tailFd = undefined;
    if (fd === undefined) return;
    try {
      this.files.close(fd);
    } catch {
      // nothing more to write to it
    }
  }
}

/** Runs of `lines` of at most `limit` bytes each (at least one line), the first with `used` bytes taken already. */
function chunked(lines: readonly string[], sizes: readonly number[], limit: number, used = 0): { lines: readonly string[]; bytes: number }[] {
  const chunks: { lines: readonly string[]; bytes: number }[] = [];
  let start = 0;
  let bytes = 0;
  let budget = limit - used;
  for (let index = 0; index < lines.length; index++) {
    const size = sizes[index] as number;
    if (index > start && bytes + size > budget) {
      chunks.push({ lines: lines.slice(start, index), bytes });
      start = index;
      bytes = 0;
      budget = limit;
    }
    bytes += size;
  }
  if (start < lines.length) chunks.push({ lines: lines.slice(start), bytes });
  return chunks;
}

function fittingPrefix(sizes: readonly number[], room: number): number {
  let used = 0;
  for (let index = 0; index < sizes.length; index++) {
    used += sizes[index] as number;
    if (used > room) return index;
  }
  return sizes.length;
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** A file name from a sink's name: its safe characters and a hash of the whole name (two names never share files). */
function fileBase(name: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193) >>> 0;
  return `${name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}-${hash.toString(16).padStart(8, '0')}`;
}

function joinPath(dir: string, name: string): string {
  return /[\\/]$/.test(dir) ? `${dir}${name}` : `${dir}/${name}`;
}
