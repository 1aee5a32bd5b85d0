import { Buffer } from 'node:buffer';
import { createSocket } from 'node:dgram';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { createServer as createNetServer, isIPv6 } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { TlsOptions } from 'node:tls';
import { FrameSplitter } from './frame-splitter.ts';
import { parseSyslogMessage } from './syslog-parser.ts';
import type { SyslogMessage } from './syslog-parser.ts';

/** One record as the receiver got it. */
export interface ReceivedRecord {
  /** The message as received, without framing. */
  readonly raw: string;
  /** The record's JSON: MSG for RFC 5424, the line itself for NDJSON. */
  readonly payload: string;
  /** The RFC 5424 header, when the message was RFC 5424. */
  readonly syslog?: SyslogMessage;
}

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /** `'tcp'`, `'udp'` or `'unix'` (stream). Default: `'tcp'`. */
  readonly transport?: 'tcp' | 'udp' | 'unix';
  /** Address to listen on, for tcp and udp. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** Port for tcp and udp; 0 picks a free one (see `receiver.port`). Default: 0. */
  readonly port?: number;
  /** Socket path, for unix. Required for it. */
  readonly path?: string;
  /** Key and certificate: the tcp receiver speaks TLS. Default: none (plain TCP). */
  readonly tls?: TlsOptions;
  /** Called for every record. Default: none. */
  readonly onRecord?: (record: ReceivedRecord) => void;
  /** A file that gets every record appended, one per line (line breaks inside written as `\n`). Default: none. */
  readonly file?: string;
  /** What the file gets: `'raw'` (the message as received) or `'payload'` (the record's JSON). Default: `'raw'`. */
  readonly fileContent?: 'raw' | 'payload';
  /** Keep every record in memory for `records()` (for tests). Default: false. */
  readonly keep?: boolean;
}

/** A running receiver. */
export interface Receiver {
  /** The port it listens on (tcp, udp), or 0. */
  readonly port: number;
  /** The socket path (unix), or ''. */
  readonly path: string;
  /** Records received so far. */
  readonly received: number;
  /** Bytes of complete frames received so far, framing included (compare with the sink's `sentBytes`). */
  readonly bytesReceived: number;
  /** The records received, when `keep` is on. */
  records(): readonly ReceivedRecord[];
  /** Stops listening, drops connections, and finishes writing the file. Idempotent. */
  close(): Promise<void>;
}

/**
 * An in-process collector for tests and demos: listens on 127.0.0.1 (or a Unix socket), accepts
 * RFC 5424 (octet-counted or newline framed) and NDJSON, and hands each record to `onRecord`, a file
 * and/or memory.
 */
export async function createReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const transport = options.transport ?? 'tcp';
  if (!['tcp', 'udp', 'unix'].includes(transport)) throw new TypeError(`createReceiver: transport must be 'tcp', 'udp' or 'unix'; got ${String(transport)}`);
  if (transport === 'unix' && (typeof options.path !== 'string' || options.path === '')) throw new TypeError("createReceiver: transport 'unix' needs a path");
  const host = options.host ?? '127.0.0.1';
  const kept: ReceivedRecord[] = [];
  const file: WriteStream | undefined = options.file === undefined ? undefined : createWriteStream(options.file, { flags: 'a' });
  const fileContent = options.fileContent ?? 'raw';
  let received = 0;
  let bytesReceived = 0;

  const accept = (raw: string, frameBytes: number): void => {
    const syslog = raw.startsWith('<') ? parseSyslogMessage(raw) : undefined;
    const record: ReceivedRecord = syslog === undefined ? { raw, payload: raw } : { raw, payload: syslog.msg, syslog };
    received += 1;
    bytesReceived += frameBytes;
    if (options.keep === true) kept.push(record);
    if (file !== undefined) file.write(`${(fileContent === 'raw' ? raw : record.payload).replace(/\r/g, '\\r').replace(/\n/g, '\\n')}\n`);
    try {
      options.onRecord?.(record);
    } catch {
      // a failing callback must not take the receiver down
    }
  };

  let close: () => Promise<void>;
  let port = 0;
  if (transport === 'udp') {
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    socket.on('message', (message: Buffer) => accept(message.toString('utf8'), message.length));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(options.port ?? 0, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', () => {});
    port = socket.address().port;
    close = () => new Promise<void>((resolve) => socket.close(() => resolve()));
  } else {
    const sockets = new Set<Socket>();
    const onConnection = (socket: Socket): void => {
      sockets.add(socket);
      const splitter = new FrameSplitter(accept);
      socket.on('data', (data: Buffer | string) => splitter.push(typeof data === 'string' ? Buffer.from(data) : data));
      socket.on('end', () => splitter.end());
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    };
    const server: Server = options.tls !== undefined && transport === 'tcp' ? createTlsServer(options.tls, onConnection) : createNetServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      const ready = (): void => {
        server.off('error', reject);
        resolve();
      };
      if (transport === 'unix') server.listen(options.path, ready);
      else server.listen(options.port ?? 0, host, ready);
    });
    server.on('error', () => {});
    if (transport !== 'unix') port = (server.address() as AddressInfo).port;
    close = () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
  }

  let closing: Promise<void> | undefined;
  return {
    port,
    path: transport === 'unix' ? (options.path as string) : '',
    get received() {
      return received;
    },
    get bytesReceived() {
      return bytesReceived;
    },
    records: () => kept,
    close() {
      closing ??= (async () => {
        await close();
        if (file !== undefined) await new Promise<void>((resolve) => file.end(() => resolve()));
      })();
      return closing;
    },
  };
}
