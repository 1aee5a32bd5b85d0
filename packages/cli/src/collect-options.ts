import { parseCommandLine } from './command-line.ts';
import { parseCount, parseSize } from './size-option.ts';
import { UsageError } from './usage-error.ts';

/** The default of `--max-size`: 10 MiB. */
export const DEFAULT_MAX_SIZE_BYTES = 10 * 1024 * 1024;
/** The default of `--keep`: rotated files kept (the rotating file sink's own default). */
export const DEFAULT_KEEP_FILES = 7;
/** The default port of a `--syslog` address without one. */
const SYSLOG_DEFAULT_PORT = 514;

/** A syslog collector to send to, from `--syslog`. */
export type SyslogTarget =
  | { readonly transport: 'tcp' | 'udp' | 'tls'; readonly host: string; readonly port: number }
  | { readonly transport: 'unix'; readonly path: string };

/** What `tributary collect` was asked to do. */
export interface CollectConfig {
  /** Where producers connect: a Unix socket, or a TCP port on 127.0.0.1 (0: any free port). */
  readonly address: { readonly path: string } | { readonly host: '127.0.0.1'; readonly port: number };
  /** `--file`: appended, reopened on SIGHUP. */
  readonly files: readonly string[];
  /** `--rotate` with its `--max-size`, `--keep` and `--compress`. */
  readonly rotate: { readonly paths: readonly string[]; readonly maxSizeBytes: number; readonly keep: number; readonly compress: boolean };
  /** `--stdout`: JSON lines on standard output. */
  readonly stdout: boolean;
  /** `--syslog`: RFC 5424 to these collectors. */
  readonly syslog: readonly SyslogTarget[];
  /** `--max-connections`: producers connected at once. */
  readonly maxConnections: number | undefined;
}

const WHERE = 'collect';

/** Parses the arguments of `tributary collect`; `help` when `-h` was given. Throws {@link UsageError}. */
export function parseCollectArgs(args: readonly string[]): CollectConfig | 'help' {
  const { values, positionals } = parseCommandLine(args, {
    socket: { type: 'string' },
    port: { type: 'string' },
    file: { type: 'string', multiple: true },
    rotate: { type: 'string', multiple: true },
    'max-size': { type: 'string' },
    keep: { type: 'string' },
    compress: { type: 'boolean' },
    stdout: { type: 'boolean' },
    syslog: { type: 'string', multiple: true },
    'max-connections': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help === true) return 'help';
  if (positionals.length > 0) throw new UsageError(`collect takes no operands; got ${JSON.stringify(positionals[0])}`);
  if ((values.socket === undefined) === (values.port === undefined)) throw new UsageError('collect needs either --socket PATH or --port N (on 127.0.0.1)');
  const address =
    values.socket !== undefined
      ? { path: nonEmpty('--socket', values.socket) }
      : { host: '127.0.0.1' as const, port: parseCount(WHERE, '--port', values.port as string, { min: 0, max: 65_535 }) };
  const rotatePaths = (values.rotate ?? []).map((path) => nonEmpty('--rotate', path));
  if (rotatePaths.length === 0) {
    for (const option of ['max-size', 'keep', 'compress'] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} goes with --rotate FILE`);
    }
  }
  const config: CollectConfig = {
    address,
    files: (values.file ?? []).map((path) => nonEmpty('--file', path)),
    rotate: {
      paths: rotatePaths,
      maxSizeBytes: values['max-size'] === undefined ? DEFAULT_MAX_SIZE_BYTES : parseSize(WHERE, '--max-size', values['max-size'], 1024),
      keep: values.keep === undefined ? DEFAULT_KEEP_FILES : parseCount(WHERE, '--keep', values.keep, { min: 0 }),
      compress: values.compress === true,
    },
    stdout: values.stdout === true,
    syslog: (values.syslog ?? []).map(parseSyslogUrl),
    maxConnections: values['max-connections'] === undefined ? undefined : parseCount(WHERE, '--max-connections', values['max-connections'], { min: 1 }),
  };
  const paths = [...config.files, ...config.rotate.paths];
  const repeated = paths.find((path, index) => paths.indexOf(path) !== index);
  if (repeated !== undefined) throw new UsageError(`${JSON.stringify(repeated)} is given twice: one sink per file`);
  if (paths.length === 0 && !config.stdout && config.syslog.length === 0) {
    throw new UsageError('collect needs at least one sink: --file FILE, --rotate FILE, --stdout or --syslog URL');
  }
  return config;
}

/** `tcp://host:port`, `udp://host:port`, `tls://host:port` (port 514 when left out) or `unix:///path`. */
export function parseSyslogUrl(text: string): SyslogTarget {
  const shape = 'tcp://HOST:PORT, udp://HOST:PORT, tls://HOST:PORT or unix:///PATH';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${WHERE}: --syslog must be ${shape}; got ${JSON.stringify(text)}`);
  }
  const transport = url.protocol.slice(0, -1);
  if (transport === 'unix') {
    if (url.pathname === '' || url.pathname === '/' || url.host !== '')
      throw new UsageError(`${WHERE}: --syslog must be ${shape}; got ${JSON.stringify(text)}`);
    return { transport, path: decodeURIComponent(url.pathname) };
  }
  if ((transport !== 'tcp' && transport !== 'udp' && transport !== 'tls') || url.hostname === '' || (url.pathname !== '' && url.pathname !== '/')) {
    throw new UsageError(`${WHERE}: --syslog must be ${shape}; got ${JSON.stringify(text)}`);
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { transport, host, port: url.port === '' ? SYSLOG_DEFAULT_PORT : Number(url.port) };
}

function nonEmpty(option: string, value: string): string {
  if (value === '') throw new UsageError(`${WHERE}: ${option} must be a path; got ""`);
  return value;
}
