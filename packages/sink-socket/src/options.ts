import { hostname as osHostname } from 'node:os';
import type { ConnectionOptions } from 'node:tls';
import { integerOption, numberOption, objectOption, oneOfOption, resolveSpoolOptions, stringOption } from '@tributary/core/sink';
import type { ResolvedSpoolOptions, SpoolOptions } from '@tributary/core/sink';
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
  /**
   * A disk spool (`{ dir, maxBytes, overflow, name }`), for stream transports (tcp, tls, unix): while
   * disconnected, and at a lost connection, `close()` or the process's exit, records go to spool files
   * in `dir` instead of the reconnect buffer, and are sent first once connected (in this run or the
   * next start); what was written within `unconfirmedWindowBytes` before a lost connection or an exit
   * is sent again (see the README). Refused with udp. Default: none (no spool).
   */
  readonly spool?: SpoolOptions;
  /** Names the sink in reports. Default: e.g. `rfc5424+tcp://127.0.0.1:514`. */
  readonly name?: string;
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
  readonly spool: ResolvedSpoolOptions | undefined;
  readonly name: string;
}

const WHERE = 'socketSink';
const TRANSPORTS: readonly SocketTransport[] = ['tcp', 'tls', 'udp', 'unix'];
const ENCODINGS: readonly SocketEncoding[] = ['rfc5424', 'ndjson'];
const FRAMINGS: readonly SyslogFraming[] = ['octet-counting', 'newline'];

/** Fills in defaults and checks every option; throws a clear error at configuration time. */
export function resolveSocketSinkOptions(options: SocketSinkOptions): ResolvedSocketSinkOptions {
  objectOption(WHERE, 'options', options ?? null, undefined);
  const transport = oneOfOption(WHERE, 'transport', options.transport, TRANSPORTS, 'tcp');
  const encoding = oneOfOption(WHERE, 'encoding', options.encoding, ENCODINGS, 'rfc5424');
  const framing = oneOfOption(WHERE, 'framing', options.framing, FRAMINGS, 'octet-counting');
  if (encoding === 'ndjson' && options.framing === 'octet-counting') {
    throw new TypeError(`${WHERE}: framing must be 'newline' (or left out) with encoding 'ndjson', which is one JSON line per record; got "octet-counting"`);
  }
  const host = stringOption(WHERE, 'host', options.host, '127.0.0.1');
  let port = 0;
  let path = '';
  if (transport === 'unix') {
    path = stringOption(WHERE, 'path', options.path, undefined) ?? missing('path', "transport 'unix'");
  } else {
    port = integerOption(WHERE, 'port', options.port, { min: 1, max: 65_535, default: undefined }) ?? missing('port', `transport '${transport}'`);
  }
  if (options.tls !== undefined && transport !== 'tls') {
    throw new TypeError(`${WHERE}: tls must be left out unless transport is 'tls'; got an object with transport '${transport}'`);
  }
  const tls = objectOption<Omit<ConnectionOptions, 'host' | 'port' | 'path' | 'socket'>, object>(WHERE, 'tls', options.tls, {});
  const syslog = objectOption<SyslogOptions, SyslogOptions>(WHERE, 'syslog', options.syslog, {});
  const facility = resolveFacility(syslog.facility);
  const hostname = headerField('syslog.hostname', syslog.hostname, 255) ?? safeHostname();
  const appName = headerField('syslog.appName', syslog.appName, 48) ?? 'tributary';
  const msgId = headerField('syslog.msgId', syslog.msgId, 32);
  const reconnect = objectOption<ReconnectOptions, ReconnectOptions>(WHERE, 'reconnect', options.reconnect, {});
  const initialDelay = integerOption(WHERE, 'reconnect.initialDelay', reconnect.initialDelay, { min: 1, default: 1_000 });
  const maxDelay = integerOption(WHERE, 'reconnect.maxDelay', reconnect.maxDelay, { min: initialDelay, default: Math.max(30_000, initialDelay) });
  const factor = numberOption(WHERE, 'reconnect.factor', reconnect.factor, { min: 1, max: Number.MAX_SAFE_INTEGER, default: 2 });
  const where = transport === 'unix' ? `unix:${path}` : `${transport}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (options.spool !== undefined && transport === 'udp') {
    throw new TypeError(
      `${WHERE}: spool must be left out with transport 'udp' (a datagram is never confirmed, so a spooled record could never be known sent); got ${options.spool === null ? 'null' : typeof options.spool}`,
    );
  }
  const name = stringOption(WHERE, 'name', options.name, `${encoding}+${where}`);
  return {
    transport,
    host,
    port,
    path,
    tls,
    encoding,
    framing,
    facility,
    hostname,
    appName,
    msgId,
    maxRecordBytes: integerOption(WHERE, 'maxRecordBytes', options.maxRecordBytes, { min: 256, default: 8_192 }),
    maxDatagramBytes: integerOption(WHERE, 'maxDatagramBytes', options.maxDatagramBytes, { min: 256, max: 65_507, default: 2_048 }),
    initialDelay,
    maxDelay,
    factor,
    connectTimeout: integerOption(WHERE, 'connectTimeout', options.connectTimeout, { min: 1, default: 10_000 }),
    bufferRecords: integerOption(WHERE, 'bufferRecords', options.bufferRecords, { min: 0, default: 10_000 }),
    bufferBytes: integerOption(WHERE, 'bufferBytes', options.bufferBytes, { min: 0, default: 8 * 1024 * 1024 }),
    drainTimeout: integerOption(WHERE, 'drainTimeout', options.drainTimeout, { min: 1, default: 5_000 }),
    unconfirmedWindowBytes: integerOption(WHERE, 'unconfirmedWindowBytes', options.unconfirmedWindowBytes, { min: 0, default: 1024 * 1024 }),
    spool: resolveSpoolOptions(WHERE, options.spool, name),
    name,
  };
}

/** A required option left out, in the validators' message format. */
function missing(key: string, forWhat: string): never {
  throw new TypeError(`${WHERE}: ${key} must be given for ${forWhat}; got undefined`);
}

/** A facility name, or its number 0–23; `'user'` (1) when undefined. */
function resolveFacility(value: unknown): number {
  if (typeof value === 'string') return FACILITY[oneOfOption(WHERE, 'syslog.facility', value, Object.keys(FACILITY) as FacilityName[], 'user')];
  return integerOption(WHERE, 'syslog.facility', value, { min: 0, max: 23, default: FACILITY.user });
}

/** An RFC 5424 header field: printable US-ASCII without spaces, 1 to `max` characters; undefined when left out. */
function headerField(key: string, value: unknown, max: number): string | undefined {
  const text = stringOption(WHERE, key, value, undefined);
  if (text !== undefined && (text.length > max || !/^[\x21-\x7e]+$/.test(text))) {
    throw new RangeError(
      `${WHERE}: ${key} must be 1 to ${max} printable US-ASCII characters without spaces; got ${JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text)}`,
    );
  }
  return text;
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
