import { SinkClosedError } from '@tributary/core';
import { RecordEncoder, entryFromLine } from '@tributary/core/sink';
import type { LevelName, LogEntry, Sink } from '@tributary/core';
import type { SinkCloseReport } from '@tributary/core/sink';
import { DatagramSender } from './internal/datagram-sender.ts';
import { frameEncoder } from './internal/record-encoding.ts';
import type { Frame } from './internal/record-encoding.ts';
import { StreamConnection } from './internal/stream-connection.ts';
import type { Outage } from './internal/stream-connection.ts';
import { resolveSocketSinkOptions } from './options.ts';
import type { SocketSinkOptions } from './options.ts';

/** What a socket sink has done so far. */
export interface SocketSinkStats {
  /** Whether a stream is connected now (always true for UDP, which has no connection). */
  readonly connected: boolean;
  /** Records the socket wrote (to the kernel; plain TCP and UDP confirm no delivery). */
  readonly sentRecords: number;
  /** Bytes of those records, framing included. */
  readonly sentBytes: number;
  /** Records waiting to be written. */
  readonly bufferedRecords: number;
  /** Records dropped: buffer full while disconnected, failed datagrams, or left over at close. */
  readonly dropped: number;
  /** Records cut to the size limit. */
  readonly truncated: number;
  /** Connections opened again after a lost one. */
  readonly reconnects: number;
}

/** A sink that writes to a socket. */
export interface SocketSink extends Sink {
  /** Counters, for monitoring and tests. */
  stats(): SocketSinkStats;
}

/** The producer id on the sink's own records (`tributary.reconnected`, `tributary.dropped`). */
export const SOCKET_SINK_PRODUCER = 'sink-socket';

/**
 * A sink that sends records as RFC 5424 syslog messages (default) or NDJSON over TCP, TLS, UDP or a
 * Unix stream socket, reconnecting with exponential backoff and buffering (bounded) while the
 * collector is away. Configuration errors throw here; connection failures never make `write` throw.
 */
export function socketSink(options: SocketSinkOptions): SocketSink {
  const resolved = resolveSocketSinkOptions(options);
  const encodeFrame = frameEncoder(resolved);
  const notices = new RecordEncoder({ producer: SOCKET_SINK_PRODUCER, pid: currentPid() });
  const noticeLogger = notices.quoteName('tributary');
  let noticeSeq = 0;
  let truncated = 0;
  const notice = (level: LevelName, msg: string, fields: Readonly<Record<string, unknown>>): Frame =>
    encodeFrame(entryFromLine(notices.encode(level, msg, noticeLogger, ++noticeSeq, '', fields), level));

  const outageFrames = (outage: Outage): Frame[] => {
    const frames: Frame[] = [];
    if (outage.dropped > 0) {
      frames.push(notice('warn', 'tributary.dropped', {
        dropped: outage.dropped,
        sink: resolved.name,
        reason: `the collector was unreachable and the reconnect buffer (${resolved.bufferRecords} records, ${resolved.bufferBytes} bytes) was full`,
      }));
    }
    frames.push(notice('warn', 'tributary.reconnected', {
      sink: resolved.name,
      downMs: outage.downMs,
      failedAttempts: outage.failedAttempts,
      error: outage.error,
      unconfirmed: outage.unconfirmed,
      unconfirmedWindowBytes: resolved.unconfirmedWindowBytes,
    }));
    return frames;
  };
  const lossFrames = (dropped: number, error: string): Frame[] => [
    notice('warn', 'tributary.dropped', { dropped, sink: resolved.name, reason: `datagrams failed to send: ${error}` }),
  ];

  const stream = resolved.transport === 'udp' ? undefined : new StreamConnection(resolved, outageFrames);
  const datagrams = resolved.transport === 'udp' ? new DatagramSender(resolved, lossFrames) : undefined;
  let closing: Promise<SinkCloseReport> | undefined;

  const encodeBatch = (batch: readonly LogEntry[]): Frame[] => {
    const frames: Frame[] = [];
    for (const entry of batch) {
      const frame = encodeFrame(entry);
      if (frame.truncated) truncated += 1;
      frames.push(frame);
    }
    return frames;
  };

  const drain = async (): Promise<boolean> =>
    stream !== undefined ? stream.drain(resolved.drainTimeout) : (datagrams as DatagramSender).drain(resolved.drainTimeout);

  const sink: SocketSink = {
    name: resolved.name,
    write(batch) {
      if (closing !== undefined) throw new SinkClosedError(resolved.name);
      const frames = encodeBatch(batch);
      return stream !== undefined ? stream.send(frames) : (datagrams as DatagramSender).send(frames);
    },
    async flush() {
      if (closing !== undefined) return;
      if (!(await drain())) {
        const waiting = sink.stats().bufferedRecords;
        throw new Error(`socket sink ${resolved.name}: ${waiting} records still waiting after ${resolved.drainTimeout} ms (is the collector reachable?)`);
      }
    },
    close() {
      closing ??= (async () => {
        const lost = stream !== undefined ? await stream.close(resolved.drainTimeout) : await (datagrams as DatagramSender).close(resolved.drainTimeout);
        return { undelivered: lost };
      })();
      return closing;
    },
    async [Symbol.asyncDispose]() {
      await sink.close();
    },
    stats() {
      if (stream !== undefined) {
        const counts = stream.stats;
        return {
          connected: stream.connected,
          sentRecords: counts.sentRecords,
          sentBytes: counts.sentBytes,
          bufferedRecords: counts.bufferedRecords,
          dropped: stream.dropped,
          truncated,
          reconnects: stream.reconnects,
        };
      }
      const sender = datagrams as DatagramSender;
      return { connected: true, sentRecords: sender.sentRecords, sentBytes: sender.sentBytes, bufferedRecords: sender.buffered, dropped: sender.dropped, truncated, reconnects: 0 };
    },
  };
  return sink;
}

function currentPid(): number {
  const pid = (globalThis as { process?: { pid?: unknown } }).process?.pid;
  return typeof pid === 'number' ? pid : 0;
}
