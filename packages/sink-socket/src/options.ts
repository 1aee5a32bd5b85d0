import { hostname as osHostname } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import { FACILITY } from './syslog.ts';
import type { FacilityName } from './syslog.ts';

/** Where a socket sink sends records. */
export type SocketTransport = 'tcp' | 'tls' | 'udp' | 'unix';

/** How each record is written. */
export type SocketEncoding = 'rfc5424' | 'ndjson';

/** How RFC 5424 messages are delimited on a stream (TCP, TLS, Unix). */
export type SyslogFraming = 'octet-counting' | 'newline';

/** RFC 5424 header fields. */
export interface SyslogOptions {
  /** The facility, by name or number 0–23. Default: `'user'` (1). */
  readonly facility?: FacilityName | number;
  /** HOSTNAME. Default: the machine's host name (`os.hostname()`). */
  readonly hostname?: string;
  /** APP-NAME. Default: `'tributary'`. */
  readonly appName?: string;
  /**
   * MSGID. Default: the record's logger name (cut to 32 characters; `-` when empty). Pass a fixed
   * string to use the same MSGID for every record.
   */
  readonly msgId?: string;
}

/** Reconnection after a failure: exponential backoff. */
export interface ReconnectOptions {
  /** Wait before the first retry, in milliseconds. Default: 1,000. */
  readonly initialDelay?: number;
  /** Longest wait between retries, in milliseconds. Default: 30,000. */
  readonly maxDelay?: number;
  /** Each retry waits this many times longer than the previous one. Default: 2. */
  readonly factor?: number;
}

/** Options of {@link socketSink}. */
export interface SocketSinkOptions {
  /** `'tcp'`, `'tls'` (TCP with TLS, through node:tls), `'udp'` or `'unix'` (stream socket). Default: `'tcp'`. */
  readonly transport?: SocketTransport;
  /** The collector's host, for tcp, tls and udp. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** The collector's port, for tcp, tls and udp. Required for them. */
  readonly port?: number;
  /** The socket's path, for unix. Required for it. */
  readonly path?: string;
  /** Options for `tls.connect` (ca, cert, key, servername, rejectUnauthorized…), for tls. Default: none (system CAs, host name checked). */
  readonly tls?: Omit<ConnectionOptions, 'host' | 'port' | 'path' | 'socket'>;
  /** `'rfc5424'` (syslog, the record's JSON as MSG) or `'ndjson'` (one JSON line per record). Default: `'rfc5424'`. */
  readonly encoding?: SocketEncoding;
  /**
   * Framing of RFC 5424 on streams: `'octet-counting'` (RFC 6587 `LEN SP MSG`) or `'newline'` (one
   * message per line; line breaks inside a message are written as `\n`). NDJSON is always newline
   * framed, and UDP sends one message per datagram without framing. Default: `'octet-counting'`.
   */
  readonly framing?: SyslogFraming;
  /** RFC 5424 header fields. Default: see {@link SyslogOptions}. */
  readonly syslog?: SyslogOptions;
  /**
   * Largest record in bytes (the syslog message or the JSON line, without framing); bigger records
   * are cut and marked (see the README). rsyslog's default maximum is 8 KiB. Default: 8,192.
   */
  readonly maxRecordBytes?: number;
  /** Largest UDP datagram in bytes; bigger records are cut and marked. Default: 2,048. */
  readonly maxDatagramBytes?: number;
  /** Reconnection backoff. Default: 1 s doubling up to 30 s. */
  readonly reconnect?: ReconnectOptions;
  /** Longest wait for a connection to open (TCP connect and TLS handshake), in milliseconds. Default: 10,000. */
  readonly connectTimeout?: number;
  /** Records held while disconnected; beyond it records are dropped and counted. Default: 10,000. */
  readonly bufferRecords?: number;
  /** Bytes held while disconnected; beyond it records are dropped and counted. Default: 8 MiB. */
  readonly bufferBytes?: number;
  /** Longest wait of `flush()` and `close()` for the socket to drain, in milliseconds. Default: 5,000. */
  readonly drainTimeout?: number;
  /**
   * Plain TCP confirms nothing: when a connection is lost, records the kernel had accepted may still
   * be lost (in the two kernels' socket buffers, or in the collector's memory). The records written
   * in the lost connection's last this-many bytes are reported as `unconfirmed` in the
   * `tributary.reconnected` record. Set it to your collector's buffering. Default: 1 MiB.
   */
  readonly unconfirmedWindowBytes?: number;
  /** Names the sink in reports. Default: e.g. `rfc5424+tcp://127.0.0.1:514`. */
  readonly name?: string;
  /**
   * Told of each connection failure (once per outage, not per retry) and of failed datagrams.
   * Default: one line on the console's error stream.
   */
  readonly onError?: (error: Error) => void;
}

/** Options with every default filled in and checked. */
export interface ResolvedSocketSinkOptions {
  readonly transport: SocketTransport;
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly tls: Omit<ConnectionOptions, 'host' | 'port' | 'path' | 'socket'>;
  readonly encoding: SocketEncoding;
  readonly framing: SyslogFraming;
  readonly facility: number;
  readonly hostname: string;
  readonly appName: string;
  readonly msgId: string | undefined;
  readonly maxRecordBytes: number;
  readonly maxDatagramBytes: number;
  readonly initialDelay: number;
  readonly maxDelay: number;
  readonly factor: number;
  readonly connectTimeout: number;
  readonly bufferRecords: number;
  readonly bufferBytes: number;
  readonly drainTimeout: number;
  readonly unconfirmedWindowBytes: number;
  readonly name: string;
  readonly onError: (error: Error) => void;
}

const TRANSPORTS: readonly SocketTransport[] = ['tcp', 'tls', 'udp', 'unix'];
const ENCODINGS: readonly SocketEncoding[] = ['rfc5424', 'ndjson'];
const FRAMINGS: readonly SyslogFraming[] = ['octet-counting', 'newline'];

/** Fills in defaults and checks every option; throws a clear error at configuration time. */
export function resolveSocketSinkOptions(options: SocketSinkOptions): ResolvedSocketSinkOptions {
  if (options === null || typeof options !== 'object') throw new TypeError('socketSink: options must be an object');
  const transport = oneOf(options.transport ?? 'tcp', TRANSPORTS, 'transport');
  const encoding = oneOf(options.encoding ?? 'rfc5424', ENCODINGS, 'encoding');
  const framing = oneOf(options.framing ?? 'octet-counting', FRAMINGS, 'framing');
  if (encoding === 'ndjson' && options.framing === 'octet-counting') {
    throw new TypeError("socketSink: framing 'octet-counting' is for rfc5424; ndjson is always one JSON line per record");
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new TypeError('socketSink: host must be a non-empty string');
  let port = 0;
  let path = '';
  if (transport === 'unix') {
    if (typeof options.path !== 'string' || options.path === '') throw new TypeError("socketSink: transport 'unix' needs a path");
  } else {
    port = integer(options.port, 'port', 1);
    if (port > 65_535) throw new RangeError(`socketSink: port must be 1–65535; got ${port}`);
  }
  if (transport === 'unix') path = options.path as string;
  if (options.tls !== undefined && transport !== 'tls') throw new TypeError("socketSink: tls options need transport 'tls'");
  const syslog = options.syslog ?? {};
  const facility = resolveFacility(syslog.facility ?? 'user');
  const hostname = headerField(syslog.hostname ?? safeHostname(), 255, 'syslog.hostname');
  const appName = headerField(syslog.appName ?? 'tributary', 48, 'syslog.appName');
  const msgId = syslog.msgId === undefined ? undefined : headerField(syslog.msgId, 32, 'syslog.msgId');
  const reconnect = options.reconnect ?? {};
  const initialDelay = integer(reconnect.initialDelay ?? 1_000, 'reconnect.initialDelay', 1);
  const maxDelay = integer(reconnect.maxDelay ?? 30_000, 'reconnect.maxDelay', initialDelay);
  const factor = reconnect.factor ?? 2;
  if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 1) {
    throw new RangeError(`socketSink: reconnect.factor must be a number ≥ 1; got ${String(factor)}`);
  }
  const onError = options.onError ?? ((error: Error) => console.error(`tributary: ${error.message}`));
  if (typeof onError !== 'function') throw new TypeError('socketSink: onError must be a function');
  const where = transport === 'unix' ? `unix:${path}` : `${transport}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    transport,
    host,
    port,
    path,
    tls: options.tls ?? {},
    encoding,
    framing,
    facility,
    hostname,
    appName,
    msgId,
    maxRecordBytes: integer(options.maxRecordBytes ?? 8_192, 'maxRecordBytes', 256),
    maxDatagramBytes: integer(options.maxDatagramBytes ?? 2_048, 'maxDatagramBytes', 256),
    initialDelay,
    maxDelay,
    factor,
    connectTimeout: integer(options.connectTimeout ?? 10_000, 'connectTimeout', 1),
    bufferRecords: integer(options.bufferRecords ?? 10_000, 'bufferRecords', 0),
    bufferBytes: integer(options.bufferBytes ?? 8 * 1024 * 1024, 'bufferBytes', 0),
    drainTimeout: integer(options.drainTimeout ?? 5_000, 'drainTimeout', 1),
    unconfirmedWindowBytes: integer(options.unconfirmedWindowBytes ?? 1024 * 1024, 'unconfirmedWindowBytes', 0),
    name: options.name ?? `${encoding}+${where}`,
    onError,
  };
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new TypeError(`socketSink: ${what} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}; got ${JSON.stringify(value) ?? String(value)}`);
}

function integer(value: unknown, what: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new RangeError(`socketSink: ${what} must be an integer ≥ ${minimum}; got ${String(value)}`);
  }
  return value;
}

function resolveFacility(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 23) return value;
  if (typeof value === 'string' && Object.hasOwn(FACILITY, value)) return FACILITY[value as FacilityName];
  throw new RangeError(`socketSink: syslog.facility must be a facility name (${Object.keys(FACILITY).join(', ')}) or 0–23; got ${String(value)}`);
}

/** An RFC 5424 header field: printable US-ASCII without spaces, 1 to `max` characters. */
function headerField(value: unknown, max: number, what: string): string {
  if (typeof value !== 'string' || value === '' || value.length > max || !/^[\x21-\x7e]+$/.test(value)) {
    throw new TypeError(`socketSink: ${what} must be 1–${max} printable US-ASCII characters without spaces; got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value;
}

function safeHostname(): string {
  let name = '';
  try {
    name = osHostname();
  } catch {
    // some sandboxes refuse; fall back to NILVALUE
  }
  const cleaned = name.replace(/[^\x21-\x7e]/g, '').slice(0, 255);
  return cleaned === '' ? '-' : cleaned;
}
