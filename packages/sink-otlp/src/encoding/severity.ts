import type { LevelName } from '@tributary/core/sink';

/** The OpenTelemetry `severityNumber` of each level: the first number of its range (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21). */
export const SEVERITY_NUMBER: Readonly<Record<LevelName, number>> = {
  trace: 1,
  debug: 5,
  info: 9,
  warn: 13,
  error: 17,
  fatal: 21,
};
