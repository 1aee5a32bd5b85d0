import type { RotationDriver } from '../driver.ts';
import type { IntervalClock } from './intervals.ts';

/** One rotated file found by its name. */
export interface Backup {
  /** Full path. */
  readonly path: string;
  /** Its number (`app.log.3` → 3) or, in date mode, its part within the interval (`app.log-20261126.2` → 2, none → 0). */
  readonly index: number;
  /** Start of its interval, in date mode. */
  readonly intervalStart: number;
  readonly compressed: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The names of rotated files, as logrotate writes them: `app.log.1`, `app.log.2.gz` (numbered) or
 * `app.log-20261126`, `app.log-20261126.1.gz` (date mode, named for the start of their interval).
 * Everything is found by scanning names: there is no state file.
 */
export class BackupNames {
  private readonly pattern: RegExp;

  constructor(
    readonly dir: string,
    readonly base: string,
    private readonly driver: RotationDriver,
    readonly clock: IntervalClock | undefined,
  ) {
    const name = escapeRegExp(base);
    this.pattern = clock === undefined ? new RegExp(`^${name}\\.(\\d+)(\\.gz)?$`) : new RegExp(`^${name}-(\\d{8,10})(?:\\.(\\d+))?(\\.gz)?$`);
  }

  join(name: string): string {
    return this.dir === '' ? name : `${this.dir}/${name}`;
  }

  /** Every backup, oldest first. */
  scan(): Backup[] {
    let names: string[];
    try {
      names = this.driver.list(this.dir === '' ? '.' : this.dir);
    } catch {
      return [];
    }
    const found: Backup[] = [];
    for (const name of names) {
      const match = this.pattern.exec(name);
      if (match === null) continue;
      if (this.clock === undefined) {
        const index = Number(match[1]);
        if (index >= 1) found.push({ path: this.join(name), index, intervalStart: 0, compressed: match[2] !== undefined });
      } else {
        const intervalStart = this.clock.parse(match[1] as string);
        if (intervalStart === undefined) continue;
        found.push({ path: this.join(name), index: match[2] === undefined ? 0 : Number(match[2]), intervalStart, compressed: match[3] !== undefined });
      }
    }
    return this.clock === undefined ? found.sort((a, b) => b.index - a.index) : found.sort((a, b) => a.intervalStart - b.intervalStart || a.index - b.index);
  }

  /** Numbered mode: moves `.N` to `.N+1` (highest first) and returns the path for the new `.1`. */
  shift(): string {
    for (const backup of this.scan()) {
      const target = this.join(`${this.base}.${backup.index + 1}${backup.compressed ? '.gz' : ''}`);
      try {
        this.driver.rename(backup.path, target);
      } catch (error) {
        if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
      }
    }
    return this.join(`${this.base}.1`);
  }

  /** Date mode: a free name for a file of the interval starting at `intervalStart`. */
  datedName(intervalStart: number): string {
    const stem = `${this.base}-${(this.clock as IntervalClock).stamp(intervalStart)}`;
    for (let part = 0; ; part++) {
      const name = this.join(part === 0 ? stem : `${stem}.${part}`);
      if (this.driver.info(name) === undefined && this.driver.info(`${name}.gz`) === undefined) return name;
    }
  }

  /** Removes backups beyond `maxFiles` (oldest first) and older than `maxAge`. Returns the paths removed. */
  prune(maxFiles: number, maxAge: number | undefined, now: number): string[] {
    const backups = this.scan();
    const removed: string[] = [];
    const groups = this.clock === undefined ? groupNumbered(backups) : backups.map((backup) => [backup]);
    const excess = groups.length - maxFiles;
    groups.forEach((group, position) => {
      const tooMany = position < excess;
      const tooOld = maxAge !== undefined && group.some((backup) => now - this.ageReference(backup) > maxAge);
      if (!tooMany && !tooOld) return;
      for (const backup of group) {
        this.driver.remove(backup.path);
        removed.push(backup.path);
      }
    });
    return removed;
  }

  private ageReference(backup: Backup): number {
    if (this.clock !== undefined) return backup.intervalStart;
    return this.driver.info(backup.path)?.mtimeMs ?? Number.POSITIVE_INFINITY;
  }
}

/** `app.log.3` and `app.log.3.gz` (left by an interrupted compression) count as one file. */
function groupNumbered(backups: readonly Backup[]): Backup[][] {
  const byIndex = new Map<number, Backup[]>();
  for (const backup of backups) byIndex.set(backup.index, [...(byIndex.get(backup.index) ?? []), backup]);
  return [...byIndex.values()];
}
