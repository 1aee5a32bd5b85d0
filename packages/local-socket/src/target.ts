import { integerOption, stringOption } from '@tributary/core/sink';
import type { SocketTarget } from './driver/types.ts';

/** Where to listen or connect: a Unix socket `path`, or a loopback TCP `port` (with `host`). */
export interface LocalAddressOptions {
  /** The Unix socket's path. Give either this or `port`. */
  readonly path?: string;
  /** A TCP port on a loopback address (0 when listening: any free port). Give either this or `path`. */
  readonly port?: number;
  /** With `port`: the loopback address. Default: `'127.0.0.1'`. */
  readonly host?: string;
}

/** The addresses a local socket may use: loopback only, the collector is for this machine. */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

/** Checks `path` / `port` / `host` at configuration time; `where` names the caller in errors. */
export function resolveTarget(where: string, options: LocalAddressOptions, allowAnyPort: boolean): SocketTarget {
  const path = stringOption(where, 'path', options.path, undefined);
  const port = integerOption(where, 'port', options.port, { min: allowAnyPort ? 0 : 1, max: 65_535, default: undefined });
  const host = stringOption(where, 'host', options.host, '127.0.0.1');
  if (path !== undefined && port !== undefined) throw new TypeError(`${where}: give either path (a Unix socket) or port (TCP), not both`);
  if (path === undefined && port === undefined) throw new TypeError(`${where}: path (a Unix socket) or port (TCP on 127.0.0.1) is required`);
  if (path !== undefined) {
    if (options.host !== undefined) throw new TypeError(`${where}: host goes with port, not with path`);
    return { kind: 'unix', path };
  }
  if (!LOOPBACK_HOSTS.has(host))
    throw new RangeError(`${where}: host must be a loopback address ('127.0.0.1', '::1' or 'localhost'); got ${JSON.stringify(host)}`);
  return { kind: 'tcp', host, port: port as number };
}

/** The target in words, for messages. */
export function describeTarget(target: SocketTarget): string {
  return target.kind === 'unix' ? target.path : `${target.host}:${target.port}`;
}
