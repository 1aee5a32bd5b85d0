/** How often the time trigger rotates. */
export type RotationInterval = 'hourly' | 'daily';

const HOUR = 3_600_000;

/** Interval arithmetic in UTC or local time; stamps as logrotate's dateext writes them. */
export class IntervalClock {
  constructor(
    readonly interval: RotationInterval,
    readonly utc: boolean,
  ) {}

  /** Start of the interval holding `time`. */
  startOf(time: number): number {
    const date = new Date(time);
    if (this.interval === 'hourly') {
      if (this.utc) date.setUTCMinutes(0, 0, 0);
      else date.setMinutes(0, 0, 0);
    } else if (this.utc) date.setUTCHours(0, 0, 0, 0);
    else date.setHours(0, 0, 0, 0);
    return date.getTime();
  }

  /** Start of the interval after the one holding `time`. */
  nextAfter(time: number): number {
    const start = this.startOf(time);
    if (this.interval === 'hourly') return start + HOUR;
    const date = new Date(start);
    if (this.utc) return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
    return new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();
  }

  /** `YYYYMMDD` (daily) or `YYYYMMDDHH` (hourly) of the interval holding `time`. */
  stamp(time: number): string {
    const date = new Date(time);
    const parts = this.utc
      ? [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours()]
      : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours()];
    const [year, month, day, hour] = parts.map((value, index) => String(value).padStart(index === 0 ? 4 : 2, '0'));
    return this.interval === 'hourly' ? `${year}${month}${day}${hour}` : `${year}${month}${day}`;
  }

  /** The start time a stamp names, or undefined if it is not one of ours. */
  parse(stamp: string): number | undefined {
    const match = (this.interval === 'hourly' ? /^(\d{4})(\d{2})(\d{2})(\d{2})$/ : /^(\d{4})(\d{2})(\d{2})$/).exec(stamp);
    if (match === null) return undefined;
    const [year, month, day, hour] = match.slice(1).map(Number) as [number, number, number, number | undefined];
    return this.utc ? Date.UTC(year, month - 1, day, hour ?? 0) : new Date(year, month - 1, day, hour ?? 0).getTime();
  }
}
