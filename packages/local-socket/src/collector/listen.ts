import type { QueueListener } from '@tributary/core';
import { encodeFrame } from '@tributary/core/adapter';
import { functionOption, integerOption, objectOption } from '@tributary/core/sink';
import { currentDriver } from '../driver/index.ts';
import type { CollectorSocket, ListeningSocket, SocketDriver } from '../driver/types.ts';
import { describeTarget, resolveTarget } from '../target.ts';
import type { LocalAddressOptions } from '../target.ts';
import { AckGate } from './ack-gate.ts';
import { CollectorConnection } from './connection.ts';
import type { ConnectionContext } from './connection.ts';
import { checkSocketFolder, clearStaleSocket, finishSocketFile, removeSocketFile } from './socket-file.ts';

/** Options of {@link listenLocal}: the address (`path`, or `port` with `host`) and limits. */
export interface ListenLocalOptions extends LocalAddressOptions {
  /** The Unix socket's mode. Default: `0o600` (only this user may connect). */
  readonly mode?: number;
  /** Connections open at once; a producer beyond them is refused (and tries again later). Default: 64. */
  readonly maxConnections?: number;
  /**
   * Largest frame a producer may send, in bytes (a batch of records, as encoded). A larger one
   * closes that connection, with a report. Producers split batches above 1 MiB, so this must only
   * exceed the largest single record (the records' own limit, `limits.maxRecordLength`, is 16 Mi
   * characters by default). Default: 33,554,432 (32 MiB).
   */
  readonly maxFrameBytes?: number;
  /**
   * How long a connection that ended without goodbye waits for its producer to connect again before
   * the listener reports the end (`tributary.producer_exited`, and `tributary.lost` for what may be
   * lost), in milliseconds. When it does reconnect within this time, nothing is reported: it sends
   * again what was not confirmed. Default: 5,000 (above the producers' default 2,000 ms backoff).
   */
  readonly reconnectGraceMs?: number;
}

/** Where a collector listens. */
export type LocalAddress = { readonly path: string } | { readonly host: string; readonly port: number };

/** A running collector: producers connect with `localLogger()`. */
export interface LocalCollector {
  /** Where it listens (the TCP port chosen when 0 was asked for). */
  readonly address: LocalAddress;
  /** Connections open now. */
  readonly connections: number;
  /**
   * Stops taking connections, waits (bounded by the listener's `flushTimeout`) until the sinks wrote
   * what arrived and confirms it to the producers, ends every connection (producers keep what was
   * not confirmed and send it to the next collector) and removes the socket file. Call it before
   * `listener.stop()`. Idempotent.
   */
  close(): Promise<void>;
}

const WHERE = 'listenLocal';

/**
 * Runs a collector for producers in other processes (`localLogger()` in a `node:cluster` worker, a
 * pm2 instance, a separate Node, Deno or Bun program): each connection is a producer of `listener`.
 */
export async function listenLocal(listener: QueueListener, options: ListenLocalOptions): Promise<LocalCollector> {
  if (listener === null || typeof listener !== 'object' || typeof listener.attach !== 'function') {
    throw new TypeError(`${WHERE}: listener must be a QueueListener`);
  }
  objectOption(WHERE, 'options', options, undefined);
  const target = resolveTarget(WHERE, options ?? {}, true);
  const mode = integerOption(WHERE, 'mode', options.mode, { min: 0, max: 0o777, default: 0o600 });
  const maxConnections = integerOption(WHERE, 'maxConnections', options.maxConnections, { min: 1, default: 64 });
  const maxFrameBytes = integerOption(WHERE, 'maxFrameBytes', options.maxFrameBytes, { min: 1024, default: 32 * 1024 * 1024 });
  const reconnectGraceMs = integerOption(WHERE, 'reconnectGraceMs', options.reconnectGraceMs, { min: 0, default: 5_000 });
  functionOption(WHERE, 'listener.reportProblem', listener.reportProblem, undefined);
  const driver = currentDriver();
  if (target.kind === 'unix') {
    checkSocketFolder(WHERE, target.path);
    await clearStaleSocket(WHERE, target.path, driver);
  }
  return new Collector(listener, driver, target.kind === 'unix' ? target.path : undefined, mode, maxConnections, {
    maxFrameBytes,
    reconnectGraceMs,
  }).start(target);
}

class Collector implements LocalCollector {
  private readonly open = new Set<CollectorConnection>();
  private readonly context: ConnectionContext;
  private server: ListeningSocket | undefined;
  private socketInode: number | undefined;
  private listening: LocalAddress = { path: '' };
  private closing: Promise<void> | undefined;

  constructor(
    private readonly listener: QueueListener,
    private readonly driver: SocketDriver,
    private readonly path: string | undefined,
    private readonly mode: number,
    private readonly maxConnections: number,
    limits: { readonly maxFrameBytes: number; readonly reconnectGraceMs: number },
  ) {
    this.context = {
      gate: new AckGate(() => listener.flush()),
      taken: new Map(),
      ...limits,
      holders: new Map(),
      waiting: new Set(),
      problem: (message, fields) => listener.reportProblem('protocol', `local-socket: ${message}`, { msg: 'tributary.connection_closed', fields }),
      ended: (connection) => this.open.delete(connection),
    };
  }

  get address(): LocalAddress {
    return this.listening;
  }

  get connections(): number {
    return this.open.size;
  }

  async start(target: Parameters<SocketDriver['listen']>[0]): Promise<this> {
    try {
      this.server = await this.driver.listen(target, (socket) => this.accept(socket));
    } catch (error) {
      throw new Error(`${WHERE}: cannot listen on ${describeTarget(target)}: ${(error as Error).message}`);
    }
    if (this.path !== undefined) {
      this.socketInode = finishSocketFile(this.path, this.mode);
      this.listening = { path: this.path };
    } else if (target.kind === 'tcp') {
      this.listening = { host: target.host, port: this.server.port ?? target.port };
    }
    return this;
  }

  close(): Promise<void> {
    this.closing ??= this.runClose();
    return this.closing;
  }

  private accept(socket: CollectorSocket): void {
    if (this.closing !== undefined) return refuse(socket, 'the collector is closing');
    if (this.open.size >= this.maxConnections) {
      this.listener.reportProblem('producer', `local-socket: refused a connection: ${this.maxConnections} connections are open (maxConnections)`);
      return refuse(socket, `the collector has ${this.maxConnections} connections open (maxConnections); try again later`);
    }
    const connection = new CollectorConnection(socket, this.context);
    this.open.add(connection);
    this.listener.attach(connection);
  }

  private async runClose(): Promise<void> {
    const stopped = this.server?.close();
    // What arrived is written, and confirmed, before the connections end.
    await this.listener.flush().catch(() => false);
    await this.context.gate.settle();
    // Ends still waiting for a reconnect are reported now; the live connections end quietly.
    for (const connection of [...this.context.waiting]) connection.reportEnd();
    for (const connection of [...this.open]) connection.endQuietly();
    if (this.path !== undefined && this.socketInode !== undefined) removeSocketFile(this.path, this.socketInode);
    await stopped;
  }
}

/** Tells a connection it is not taken (the producer reports it and tries again later), then ends it. */
function refuse(socket: CollectorSocket, reason: string): void {
  socket.read(
    () => {},
    () => {},
  );
  socket.write(encodeFrame({ type: 'refused', reason }));
  socket.close();
}
