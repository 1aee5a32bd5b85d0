import { Logger } from '@tributary/core';
import type { EncodeLimits, Fields, RedactOptions, Threshold } from '@tributary/core';
import { QueueHandler, reportToConsole, resolveLoggerLevel, runtime } from '@tributary/core/adapter';
import { functionOption, integerOption, objectOption, stringOption } from '@tributary/core/sink';
import { currentDriver } from '../driver/index.ts';
import { resolveTarget } from '../target.ts';
import type { LocalAddressOptions } from '../target.ts';
import { installExitHooks } from './exit-hooks.ts';
import { resolveFallback } from './fallback.ts';
import type { LocalFallback } from './fallback.ts';
import { defaultLocalProducerId } from './producer-id.ts';
import { ReconnectingEndpoint } from './reconnecting-endpoint.ts';
import type { ReconnectStats } from './reconnecting-endpoint.ts';

/**
 * Options of {@link localLogger}: the collector's address (`path`, or `port` with `host`) and the
 * producer's settings. Everything but `name`, `level` and `fields` is taken from the first call only.
 */
export interface LocalLoggerOptions extends LocalAddressOptions {
  /**
   * The producer id every record carries, unique per collector. Default: pm2's process id
   * (`pm2-<pm_id>`), else the `node:cluster` worker id (`cluster-worker-<id>`), else `<hostname>:<pid>`.
   */
  readonly producer?: string;
  /** The logger's name. Default: `''`. */
  readonly name?: string;
  /** The logger's threshold. Default: `TRIBUTARY_LEVEL`, else `LOG_LEVEL`, else `'info'`. */
  readonly level?: Threshold;
  /** Fields bound to every record of this logger. Default: none. */
  readonly fields?: Fields;
  /**
   * Bytes of records (as encoded frames) sent and not yet confirmed as written by the collector's
   * sinks. They are sent again after a reconnect, so a collector restart loses none of them; beyond
   * this bound the oldest are dropped and the collector reports their exact number. Default:
   * 16,777,216 (16 MiB).
   */
  readonly maxUnconfirmedBytes?: number;
  /** How long a record may wait in a partial batch, in milliseconds. Default: 5. */
  readonly flushInterval?: number;
  /** Records per batch frame. Default: 256. */
  readonly batchSize?: number;
  /** How long `logger.flush()` and `closeLocalLogger()` wait for the collector's confirmation, in milliseconds. Default: 10,000. */
  readonly flushTimeout?: number;
  /** First delay before reconnecting, in milliseconds; it doubles per failed attempt, with jitter. Default: 50. */
  readonly reconnectMinDelayMs?: number;
  /** Longest delay between reconnect attempts, in milliseconds. Default: 2,000. */
  readonly reconnectMaxDelayMs?: number;
  /** At exit or close: longest wait for the socket to take what is still to be written, in milliseconds. Default: 2,000. */
  readonly exitTimeoutMs?: number;
  /**
   * Signals on which the waiting batch is written before the process dies; when the adapter's is
   * the only handler, it then ends the process with that same signal. Default: `['SIGTERM', 'SIGINT']`.
   */
  readonly exitSignals?: readonly string[];
  /** Limits on one record's size and depth. Default: see EncodeLimits. */
  readonly limits?: EncodeLimits;
  /** Values censored in every record before it leaves the process. Default: none. */
  readonly redact?: RedactOptions;
  /**
   * Where records go that no collector took when the logger closed (none was reachable): `'stderr'`
   * writes them as JSON lines, `'none'` drops them, a function receives them. Default: `'stderr'`.
   */
  readonly fallback?: LocalFallback;
  /** Receives the logger's own messages (a refusal by the collector). Default: one line on stderr. */
  readonly onReport?: (message: string) => void;
}

interface LocalConnection {
  readonly handler: QueueHandler;
  readonly endpoint: ReconnectingEndpoint;
  readonly removeHooks: () => void;
}

const WHERE = 'localLogger';

let connection: LocalConnection | undefined;
/** The connection `closeLocalLogger()` closed last, for its final stats. */
let closedConnection: LocalConnection | undefined;

/**
 * A logger whose records go to a collector (`listenLocal()`) in another process, over a Unix socket
 * or a loopback TCP port. Usable at once: records wait in a bounded buffer until the collector is
 * reachable, and are kept until it confirms them. Later calls return more loggers on the same
 * connection.
 */
export function localLogger(options: LocalLoggerOptions): Logger {
  const level = resolveLoggerLevel(options?.level, `${WHERE} level`);
  if (options?.name !== undefined && typeof options.name !== 'string') throw new TypeError(`${WHERE}: name must be a string; got ${typeof options.name}`);
  connection ??= openConnection(options);
  const logger = new Logger(connection.handler, options.name ?? '', level);
  return options.fields === undefined ? logger : logger.child({ fields: options.fields });
}

/**
 * Sends everything logged, waits (bounded by `flushTimeout`) for the collector to confirm it was
 * written, says goodbye and closes. What no collector took goes to the fallback. Later log calls on
 * its loggers are not written (they are counted); a later `localLogger()` opens a new connection.
 * Never rejects.
 */
export async function closeLocalLogger(): Promise<void> {
  const current = connection;
  if (current === undefined) return;
  await current.handler.close();
  current.removeHooks();
  if (connection === current) connection = undefined;
  closedConnection = current;
}

/**
 * What the local logger has done so far (after `closeLocalLogger()`: the closed one's final
 * counts), or undefined before the first `localLogger()`.
 */
export function localLoggerStats(): (QueueHandler['stats'] & ReconnectStats) | undefined {
  const current = connection ?? closedConnection;
  if (current === undefined) return undefined;
  return { ...current.handler.stats, ...current.endpoint.stats };
}

function openConnection(options: LocalLoggerOptions): LocalConnection {
  objectOption(WHERE, 'options', options, undefined);
  if (options === undefined) throw new TypeError(`${WHERE}: options are required ({ path } or { port })`);
  const target = resolveTarget(WHERE, options, false);
  const producer = stringOption(WHERE, 'producer', options.producer, undefined) ?? defaultLocalProducerId();
  const minDelay = integerOption(WHERE, 'reconnectMinDelayMs', options.reconnectMinDelayMs, { min: 1, default: 50 });
  const maxDelay = integerOption(WHERE, 'reconnectMaxDelayMs', options.reconnectMaxDelayMs, { min: minDelay, default: Math.max(minDelay, 2_000) });
  const fallback = resolveFallback(WHERE, options.fallback);
  const onReport = functionOption<(message: string) => void, undefined>(WHERE, 'onReport', options.onReport, undefined);
  const report = (message: string): void => {
    try {
      (onReport ?? ((text: string) => reportToConsole(`tributary local-socket (${producer}): ${text}`)))(message);
    } catch {
      // a report must never break the logger
    }
  };
  const exitSignals = options.exitSignals ?? ['SIGTERM', 'SIGINT'];
  if (!Array.isArray(exitSignals) || exitSignals.some((signal) => typeof signal !== 'string')) {
    throw new TypeError(`${WHERE}: exitSignals must be an array of signal names`);
  }
  const endpoint = new ReconnectingEndpoint({
    target,
    driver: currentDriver(),
    maxUnconfirmedBytes: integerOption(WHERE, 'maxUnconfirmedBytes', options.maxUnconfirmedBytes, { min: 1024, default: 16 * 1024 * 1024 }),
    backoff: { minDelayMs: minDelay, maxDelayMs: maxDelay },
    closeTimeoutMs: integerOption(WHERE, 'exitTimeoutMs', options.exitTimeoutMs, { min: 1, default: 2_000 }),
    report,
    onUndelivered: (lines) => fallback?.(lines),
  });
  const handler = new QueueHandler(endpoint, {
    producer,
    runtime,
    flushInterval: integerOption(WHERE, 'flushInterval', options.flushInterval, { min: 0, default: 5 }),
    batchSize: integerOption(WHERE, 'batchSize', options.batchSize, { min: 1, default: 256 }),
    flushTimeout: integerOption(WHERE, 'flushTimeout', options.flushTimeout, { min: 1, default: 10_000 }),
    // The endpoint holds the bound (maxUnconfirmedBytes); the handler's queue is freed at once.
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.redact === undefined ? {} : { redact: options.redact }),
    ...(fallback === undefined ? {} : { fallback }),
  });
  return { handler, endpoint, removeHooks: installExitHooks(handler, endpoint, exitSignals) };
}
