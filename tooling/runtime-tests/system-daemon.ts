/**
 * Tests that need a program of the operating system (rsyslogd, logrotate) ask `systemDaemon()` whether
 * it is installed. On a developer's machine without it they skip, after one line naming what to
 * install; under `CI=true` a missing program is an error, so CI can never pass by skipping them.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** What a test file needs: the program's name on PATH and the command that installs it. */
export interface SystemDaemonNeed {
  /** The executable looked up on PATH, e.g. `rsyslogd`. */
  readonly binary: string;
  /** The command that installs it, e.g. `apt-get install -y rsyslog`. */
  readonly install: string;
  /** The environment read for PATH and CI. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where the skip line goes. Default: standard error. */
  readonly report?: (line: string) => void;
}

/** The program's path, or `skip: true` when it is missing outside CI. */
export type SystemDaemon = { readonly skip: false; readonly path: string } | { readonly skip: true; readonly path: undefined };

/** The executable `binary` on the given PATH, or undefined. */
export function findOnPath(binary: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, binary);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * Looks `need.binary` up on PATH. Found: `{ skip: false, path }`. Missing and CI is not `true`:
 * reports one line and returns `{ skip: true }`. Missing under `CI=true`: throws, naming the install.
 */
export function systemDaemon(need: SystemDaemonNeed): SystemDaemon {
  const env = need.env ?? process.env;
  const path = findOnPath(need.binary, env['PATH']);
  if (path !== undefined) return { skip: false, path };
  if (env['CI'] === 'true') {
    throw new Error(`${need.binary} is not installed, and it is required when CI=true: ${need.install} (.ci/run does)`);
  }
  const report = need.report ?? ((line: string) => process.stderr.write(`${line}\n`));
  report(`skipped: needs ${need.binary} (${need.install}); required when CI=true`);
  return { skip: true, path: undefined };
}
