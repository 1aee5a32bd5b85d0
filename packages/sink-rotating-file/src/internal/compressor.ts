import { describeThrown } from '@tributary/core/sink';
import type { SinkReporter } from '@tributary/core/sink';
import type { RotationDriver } from '../driver.ts';
import type { BackupNames } from './backups.ts';

interface Job {
  /** Where the file being compressed is now (numbered backups move while they are compressed). */
  path: string;
  readonly temp: string;
}

let counter = 0;

/**
 * Gzips rotated files off the hot path: into a temporary name created exclusively (never through a
 * planted link), then renamed next to the original, which is removed. Errors are reported and leave
 * the backup uncompressed.
 */
export class Compressor {
  private readonly jobs = new Map<Job, Promise<void>>();

  constructor(
    private readonly driver: RotationDriver,
    private readonly names: BackupNames,
    private readonly mode: number,
    private readonly sink: string,
    private readonly reporter: SinkReporter,
  ) {}

  /** Starts compressing the backup at `path`. */
  start(path: string): void {
    counter += 1;
    const job: Job = { path, temp: this.names.join(`.${this.names.base}.${Date.now().toString(36)}-${counter}.gz.tmp`) };
    const run = this.driver
      .compress(path, job.temp, this.mode)
      .then(() => this.finish(job))
      .catch((error: unknown) => {
        this.removeQuietly(job.temp);
        this.reporter.failed(new Error(`${this.sink} could not gzip ${job.path}: ${describeThrown(error)}`, { cause: error }), 0);
      })
      .finally(() => this.jobs.delete(job));
    this.jobs.set(job, run);
  }

  /** Numbered backups moved up by one: so did the files being compressed. */
  shifted(): void {
    for (const job of this.jobs.keys()) {
      const match = /\.(\d+)$/.exec(job.path);
      if (match !== null) job.path = `${job.path.slice(0, match.index)}.${Number(match[1]) + 1}`;
    }
  }

  /** Resolves when every started job has ended. */
  async idle(): Promise<void> {
    while (this.jobs.size > 0) await Promise.all(this.jobs.values());
  }

  /** Leftovers of compressions a previous run did not finish. */
  removeLeftovers(): void {
    const prefix = `.${this.names.base}.`;
    let names: string[] = [];
    try {
      names = this.driver.list(this.names.dir === '' ? '.' : this.names.dir);
    } catch {
      return;
    }
    for (const name of names) if (name.startsWith(prefix) && name.endsWith('.gz.tmp')) this.removeQuietly(this.names.join(name));
  }

  private finish(job: Job): void {
    const source = this.driver.info(job.path);
    if (source === undefined || !source.isFile) {
      // pruned or removed while it was compressed: nothing to replace
      this.removeQuietly(job.temp);
      return;
    }
    this.driver.rename(job.temp, `${job.path}.gz`);
    this.driver.remove(job.path);
  }

  private removeQuietly(path: string): void {
    try {
      this.driver.remove(path);
    } catch {
      // nothing more to do
    }
  }
}
