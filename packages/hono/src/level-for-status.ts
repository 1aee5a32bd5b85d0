import type { LevelName } from '@tributary/core';

/** The completion record's default level: 5xx `error`, 4xx `warn`, anything else `info`. */
export function levelForStatus(status: number): LevelName {
  if (status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'info';
}
