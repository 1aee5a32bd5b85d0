import { fstatSync } from 'node:fs';
import { Logger } from '@tributary/core';
import { QueueHandler, StreamProducerEndpoint, checkDelivery, currentPid, readEnvironment, resolveLoggerLevel, runtime } from '@tributary/core/adapter';
import type { DeliveryMode } from '@tributary/core/adapter';
import type { EncodeLimits, Fields, Threshold } from '@tributary/core';
import { CHANNEL_FD_VARIABLE, DELIVERY_VARIABLE, PRODUCER_VARIABLE } from '../internal/environment.ts';
import { installExitHooks } from './exit-hooks.ts';
import { parentPipes } from './parent-pipes.ts';
import { writeToStderr } from './stderr-fallback.ts';

/** Options of {@link connectToParent}. Transport options are taken from the first call only. */
export interface ConnectToParentOptions {
  /** The logger's name. Default: `''`. */
  readonly name?: string;
  /** The logger's threshold. Default: `TRIBUTARY_LEVEL`, else `LOG_LEVEL`, else `'info'`, as the child reads them. */
  readonly level?: Threshold;
  /** Fields bound to every record of this logger. Default: none. */
  readonly fields?: Fields;
  /**
   * `batched`: records wait up to `flushInterval` (or until `batchSize`) and go out as one frame;
   * a SIGKILL loses at most that unsent batch. `sync`: every log call writes its record into the
   * kernel's pipe before it returns, so a SIGKILL loses nothing that was logged; it costs one system
   * call per record. Default: the parent's `delivery` (via `TRIBUTARY_DELIVERY`), else `'batched'`.
   */
  readonly delivery?: DeliveryMode;
  /** Batched mode: how long a record may wait in a partial batch, in milliseconds. Default: 5. */
  readonly flushInterval?: number;
  /** Records per batch frame. Default: 256. */
  readonly batchSize?: number;
  /**
   * Characters (UTF-16 code units, as JavaScript counts a string's length; equal to bytes for ASCII)
   * of records queued or unacknowledged before new ones are dropped (and counted): the same option,
   * with the same default, as the other adapters' queue handler. Default: 16,777,216 (16 Mi).
   */
  readonly maxQueuedChars?: number;
  /** How long `logger.flush()` waits for the listener, in milliseconds. Default: 10,000. */
  readonly flushTimeout?: number;
  /** Limits on one record's size and depth. Default: see EncodeLimits. */
  readonly limits?: EncodeLimits;
  /**
   * Where records go that the parent can no longer take (it died or closed the channel): `'stderr'`
   * writes them as JSON lines to the child's stderr, `'none'` only counts them, a function receives
   * them. Default: `'stderr'`.
   */
  readonly fallback?: 'stderr' | 'none' | ((lines: readonly string[]) => void);
  /**
   * How long a log call may wait for room in the pipe, in milliseconds (the same option as the
   * shared-memory ring's). Batched mode: once batches of more than half of `maxQueuedChars` (in bytes) wait for
   * the pipe, the log call writes them synchronously (back-pressure), for at most this long; what
   * then does not fit in the queue is dropped, counted and reported. After a timeout it does not wait
   * again until the parent read something. Synchronous mode: the wait for each record; after it, the
   * channel is given up and records go to the fallback. Default: 1,000.
   */
  readonly waitTimeout?: number;
  /**
   * At exit: longest wait for the parent to take more of what is still queued, in milliseconds.
   * While the parent keeps reading, the exit waits up to 6 × this in all; what it does not take
   * goes to the fallback, and the listener reports an unknown loss after the last record it got.
   * Default: 5,000.
   */
  readonly exitTimeout?: number;
  /**
   * Signals on which queued records are written before the process dies. When the adapter's handler
   * is the only one for the signal, it then ends the process with that same signal, as if it had no
   * handler. Default: `['SIGTERM', 'SIGINT']`.
   */
  readonly exitSignals?: readonly NodeJS.Signals[];
  /** The producer id. Default: `TRIBUTARY_PRODUCER` set by the parent, else `child-<pid>`. */
  readonly producer?: string;
  /** The channel's file descriptor. Default: `TRIBUTARY_CHANNEL_FD` set by the parent. */
  readonly fd?: number;
}

interface Connection {
  readonly handler: QueueHandler;
  readonly channel: StreamProducerEndpoint;
}

/** The queue handler's default `maxQueuedChars` (16 Mi). */
const DEFAULT_MAX_QUEUED_CHARS = 16 * 1024 * 1024;

let connection: Connection | undefined;

/**
 * Connects this child process to the listener in its parent (the parent used `forkProducer` or
 * `attachChildProcess`) and returns a logger. Later calls return more loggers on the same connection.
 * Throws at once when the process was not started with a channel.
 */
export function connectToParent(options: ConnectToParentOptions = {}): Logger {
  connection ??= openConnection(options);
  const level = resolveLoggerLevel(options.level, 'connectToParent level');
  const logger = new Logger(connection.handler, options.name ?? '', level);
  return options.fields === undefined ? logger : logger.child({ fields: options.fields });
}

/**
 * Sends everything logged, waits for the listener's confirmation (bounded by `flushTimeout`), says
 * goodbye and closes the channel. Later log calls go to the fallback. Resolves once; never rejects.
 */
export async function disconnectFromParent(): Promise<void> {
  await connection?.handler.close();
}

/** The connection's counters (records made, dropped, undeliverable), or undefined before connecting. */
export function parentConnectionStats(): QueueHandler['stats'] | undefined {
  return connection?.handler.stats;
}

function openConnection(options: ConnectToParentOptions): Connection {
  const fd = options.fd ?? Number(readEnvironment(CHANNEL_FD_VARIABLE));
  if (!Number.isSafeInteger(fd) || fd < 3) {
    throw new Error(
      `connectToParent: this process has no channel to a parent listener (${CHANNEL_FD_VARIABLE} is ${JSON.stringify(readEnvironment(CHANNEL_FD_VARIABLE))}); start it with forkProducer() or pass { fd }`,
    );
  }
  for (const channelFd of [fd, fd + 1]) {
    if (!isPipe(channelFd)) {
      throw new Error(
        `connectToParent: file descriptor ${channelFd} is not a pipe from the parent; start this process with forkProducer() or pass the right { fd }`,
      );
    }
  }
  const delivery = checkDelivery(options.delivery ?? readEnvironment(DELIVERY_VARIABLE) ?? 'batched', 'connectToParent delivery');
  const fallback = resolveFallback(options.fallback);
  const channel = new StreamProducerEndpoint(parentPipes(fd), {
    delivery,
    waitTimeout: positive(options.waitTimeout ?? 1_000, 'waitTimeout'),
    backPressureBytes: Math.max(1, Math.floor(positive(options.maxQueuedChars ?? DEFAULT_MAX_QUEUED_CHARS, 'maxQueuedChars') / 2)),
    closeTimeout: positive(options.exitTimeout ?? 5_000, 'exitTimeout'),
    onUndelivered: (lines) => fallback?.(lines),
  });
  const handler = new QueueHandler(channel, {
    producer: options.producer ?? readEnvironment(PRODUCER_VARIABLE) ?? `child-${currentPid()}`,
    runtime,
    flushInterval: options.flushInterval ?? 5,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.maxQueuedChars === undefined ? {} : { maxQueuedChars: options.maxQueuedChars }),
    ...(options.flushTimeout === undefined ? {} : { flushTimeout: options.flushTimeout }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(fallback === undefined ? {} : { fallback }),
  });
  installExitHooks(handler, channel, options.exitSignals ?? ['SIGTERM', 'SIGINT']);
  // This process's own children must not take the channel for theirs.
  forgetChannelVariables();
  return { handler, channel };
}

/** Removes the channel's variables from this process's environment; where they may not be changed, leaves them. */
function forgetChannelVariables(): void {
  try {
    delete process.env[CHANNEL_FD_VARIABLE];
    delete process.env[PRODUCER_VARIABLE];
    delete process.env[DELIVERY_VARIABLE];
  } catch {
    // no permission to change the environment (Deno without --allow-env)
  }
}

function resolveFallback(fallback: ConnectToParentOptions['fallback']): ((lines: readonly string[]) => void) | undefined {
  if (fallback === undefined || fallback === 'stderr') return writeToStderr;
  if (fallback === 'none') return undefined;
  if (typeof fallback === 'function') return fallback;
  throw new TypeError(`connectToParent fallback must be 'stderr', 'none' or a function; got ${JSON.stringify(fallback)}`);
}

function isPipe(fd: number): boolean {
  try {
    const stats = fstatSync(fd);
    return stats.isSocket() || stats.isFIFO();
  } catch {
    return false;
  }
}

function positive(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new RangeError(`connectToParent ${name} must be an integer ≥ 1; got ${String(value)}`);
  return value;
}
