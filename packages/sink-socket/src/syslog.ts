import type { LevelName } from '@tributary/core';

/** RFC 5424 severities (section 6.2.1), by number. */
export const SEVERITY = Object.freeze({
  emergency: 0,
  alert: 1,
  critical: 2,
  error: 3,
  warning: 4,
  notice: 5,
  informational: 6,
  debug: 7,
});

/**
 * How a Tributary level becomes a syslog severity: trace and debug → 7 (debug), info → 6
 * (informational), warn → 4 (warning), error → 3 (error), fatal → 2 (critical). Nothing maps to
 * emergency or alert, which mean the whole system is unusable.
 */
export const LEVEL_TO_SEVERITY: Readonly<Record<LevelName, number>> = Object.freeze({
  trace: 7,
  debug: 7,
  info: 6,
  warn: 4,
  error: 3,
  fatal: 2,
});

/** RFC 5424 facilities (section 6.2.1), by name. */
export const FACILITY = Object.freeze({
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  ntp: 12,
  audit: 13,
  alert: 14,
  clock: 15,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
});

/** A facility's name. */
export type FacilityName = keyof typeof FACILITY;

/** The PRI value of a record: facility × 8 + severity. */
export function priority(facility: number, level: LevelName): number {
  return facility * 8 + LEVEL_TO_SEVERITY[level];
}
