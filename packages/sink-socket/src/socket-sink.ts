import process from 'node:process';
import { DiskSpool, SinkClosedError, SinkReporter, SpoolBridge, entryFromLine } from '@tributary/core/sink';
import type { Batch, LogRecord, Sink, SinkContext, SinkStats } from '@tributary/core/sink';
import { DatagramSender } from './internal/datagram-sender.ts';
import { DropReports } from './internal/drop-reports.ts';
import { frameEncoder } from './internal/record-encoding.ts';
import type { Frame } from './internal/record-encoding.ts';
import { StreamConnection } from './internal/stream-connection.ts';
import type { Transport } from './internal/transport.ts';
import { resolveSocketSinkOptions } from './options.ts';
import type { ResolvedSocketSinkOptions, SocketSinkOptions } from './options.ts';

/** What a socket sink has done so far: the shape every sink has, and the socket's own counters. */
export interface SocketSinkStats extends SinkStats {
  /** Records written to the socket (to the kernel; plain TCP and UDP confirm no delivery). */
  readonly written: number;
  /** Records dropped: buffer full while disconnected, failed datagrams, or undelivered at close. */
  readonly dropped: number;
  /** 0: the sink's losses are all `dropped` (a failed connection or send loses no record by itself). */
  readonly failed: number;
  /** Records waiting to be written: buffered, or handed to the socket and not yet written. */
  readonly pendingRecords: number;
  /** UTF-8 bytes of those records, as framed for the wire. */
  readonly pendingBytes: number;
  /** UTF-8 bytes of the records written, framing included. */
  readonly writtenBytes: number;
  /** Whether a stream is connected now (always true for UDP, which has no connection). */
  readonly connected: boolean;
  /** Records cut to the size limit. */
  readonly truncated: number;
  /** Connections opened again after a lost one. */
  readonly reconnects: number;
  /** Records written to the spool so far (a record spooled twice, e.g. at a lost connection and again at exit, counts twice); 0 without a spool. */
  readonly spooled: number;
  /** Records in the spool's files now, waiting to be read back and sent (not in `pendingRecords`); 0 without a spool. */
  readonly spooledRecords: number;
}

/** A sink that writes to a socket. */
export interface SocketSink extends Sink {
  /** Counters, a fresh snapshot on every read, for monitoring and tests. */
  readonly stats: SocketSinkStats;
}

/**
 * A sink that sends records as RFC 5424 syslog messages (default) or NDJSON over TCP, TLS, UDP or a
 * Unix stream socket, reconnecting with exponential backoff and buffering (bounded) while the
 * collector is away. Configuration errors throw here; connection failures never make `write`
 * throw: they, the records dropped and the reconnections are reported through the listener's
 * context (`tributary.sink_error`, `tributary.dropped`, `tributary.reconnected`). With `spool`
 * (streams only), what cannot be sent now goes to disk instead and is sent first once connected.
 */
export function socketSink(options: SocketSinkOptions): SocketSink {
  const resolved = resolveSocketSinkOptions(options);
  const encodeFrame = frameEncoder(resolved);
  const reporter = new SinkReporter(resolved.name);
  const drops = new DropReports(reporter);
  let truncated = 0;
  /** A spooled line back as a frame (throws for a line that is not a record). */
  const revive = (line: string, segment: number): Frame => {
    const entry = entryFromLine(line);
    const frame = encodeFrame(entry, entry.record);
    if (frame.truncated) truncated += 1;
    return { ...frame, line, segment };
  };
  const spool = resolved.spool === undefined ? undefined : new SpoolBridge(DiskSpool.open(resolved.spool, 'socketSink'), revive, reporter);
  const transport = openTransport(resolved, reporter, drops, spool);
  let closing: Promise<void> | undefined;
  const removeExitHook = onExit(transport, drops);
  /** What an earlier run left is reported once the sink has its context (or at its first write without one). */
  const announce = (): void => spool?.spool.announce(reporter, resolved.name);

  const encodeBatch = (batch: Batch): Frame[] => {
    const entries = batch.entries;
    // syslog headers need each record's fields; NDJSON needs them only to cut a record that is too big
    const records = resolved.encoding === 'rfc5424' ? batch.records() : undefined;
    const frames: Frame[] = new Array(entries.length);
    for (let index = 0; index < entries.length; index++) {
      const entry = entries[index] as (typeof entries)[number];
      const frame = encodeFrame(entry, (records?.[index] ?? entry.record) as LogRecord);
      if (frame.truncated) truncated += 1;
      // with a spool, each frame keeps its record's line, for the disk
      frames[index] = spool === undefined ? frame : { ...frame, line: entry.line };
    }
    return frames;
  };

  // At exit (the listener's last drain): with a spool, to disk; without, written to the socket at
  // once if it is connected, else accepted and reported dropped, like records dropped from the buffer.
  const writeSync = (batch: Batch): void => {
    if (closing !== undefined) throw new SinkClosedError(resolved.name);
    drops.add(transport.lastWrite?.(encodeBatch(batch)) ?? 0, EXIT_REASON);
    drops.settle();
  };

  const sink: SocketSink = {
    name: resolved.name,
    ...(transport.lastWrite === undefined ? {} : { writeSync }),
    open(context: SinkContext) {
      reporter.open(context);
      announce();
    },
    write(batch) {
      if (closing !== undefined) throw new SinkClosedError(resolved.name);
      announce();
      return transport.send(encodeBatch(batch));
    },
    async flush() {
      if (closing !== undefined) return;
      if (!(await transport.drain(resolved.drainTimeout))) {
        const waiting = transport.counts.pendingRecords + (spool?.backlog ?? 0);
        throw new Error(`socket sink ${resolved.name}: ${waiting} records still waiting after ${resolved.drainTimeout} ms (is the collector reachable?)`);
      }
      drops.settle();
    },
    close() {
      closing ??= (async () => {
        // the exit hook stays until the transport is closed: an exit during close() still writes (or spools) what is held
        const lost = await transport.close(resolved.drainTimeout);
        removeExitHook();
        drops.add(lost, `undelivered at close: the collector could not take them within drainTimeout (${resolved.drainTimeout} ms)`);
        drops.settle();
        if (spool !== undefined) {
          const left = spool.backlog;
          spool.spool.close();
          if (left > 0) reporter.notice('warn', 'tributary.spooled', 'tributary.spooled', { sink: resolved.name, dir: spool.spool.dir, records: left });
        }
      })();
      return closing;
    },
    async [Symbol.asyncDispose]() {
      await sink.close();
    },
    get stats(): SocketSinkStats {
      const counts = transport.counts;
      return {
        written: counts.written,
        dropped: drops.total,
        failed: reporter.failedRecords,
        pendingRecords: counts.pendingRecords,
        pendingBytes: counts.pendingBytes,
        writtenBytes: counts.writtenBytes,
        connected: transport.connected,
        truncated,
        reconnects: transport.reconnects,
        spooled: spool?.spooled ?? 0,
        spooledRecords: spool?.backlog ?? 0,
      };
    },
  };
  return sink;
}

const EXIT_REASON = 'the process exited while the collector was unreachable';

/** The exit hooks of the open stream sinks: one process listener for all of them. */
const exitHooks = new Set<() => void>();

function runExitHooks(): void {
  for (const hook of [...exitHooks]) hook();
}

/**
 * At process exit, a stream connection's last write: what waits goes to the socket if it is
 * connected; if not, it is reported dropped. Registered before the listener's own exit drain (the
 * sink is made first), so the report reaches the other sinks' last writes. Returns the remover.
 */
function onExit(transport: Transport, drops: DropReports): () => void {
  const lastWrite = transport.lastWrite?.bind(transport);
  if (lastWrite === undefined || typeof process?.on !== 'function') return () => {};
  const hook = (): void => {
    exitHooks.delete(hook);
    drops.add(lastWrite(), EXIT_REASON);
    drops.settle();
  };
  if (exitHooks.size === 0) process.on('exit', runExitHooks);
  exitHooks.add(hook);
  return () => {
    exitHooks.delete(hook);
    if (exitHooks.size === 0) process.off?.('exit', runExitHooks);
  };
}

/** The stream connection (with its spool, if any) or datagram socket, its events going to the reporter (a failed connection by itself loses no record). */
function openTransport(resolved: ResolvedSocketSinkOptions, reporter: SinkReporter, drops: DropReports, spool: SpoolBridge<Frame> | undefined): Transport {
  if (resolved.transport === 'udp') {
    return new DatagramSender(resolved, {
      failed: (error) => reporter.failed(error, 0),
      dropped: (records, error) => drops.add(records, `datagrams failed to send: ${error.message}`),
    });
  }
  return new StreamConnection(
    resolved,
    {
      failed: (error) => reporter.failed(error, 0),
      dropped: (records) =>
        drops.add(
          records,
          `the collector was unreachable and the reconnect buffer (${resolved.bufferRecords} records, ${resolved.bufferBytes} bytes) was full`,
        ),
      reconnected: (outage) => {
        drops.settle();
        // msg is the event's name, like every tributary.* record's
        reporter.notice('warn', 'tributary.reconnected', 'tributary.reconnected', {
          downMs: outage.downMs,
          failedAttempts: outage.failedAttempts,
          error: outage.error,
          unconfirmed: outage.unconfirmed,
          interrupted: outage.interrupted,
          unconfirmedWindowBytes: resolved.unconfirmedWindowBytes,
        });
      },
    },
    spool,
  );
}
