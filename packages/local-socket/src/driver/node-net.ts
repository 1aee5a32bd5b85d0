import { writeSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { StreamWriter, afterCurrentTask } from '@tributary/core/adapter';
import type { CollectorSocket, ListeningSocket, ProducerSocket, ProducerSocketEvents, SocketDriver, SocketTarget } from './types.ts';

/**
 * How a producer's bytes reach the kernel: `descriptor` writes them with a synchronous `write(2)` on
 * the socket's own file descriptor (a full socket takes 0 bytes), so what a log call wrote survives
 * the process's exit at once; `buffered` hands them to the socket's own write buffer.
 */
export type WriteMode = 'descriptor' | 'buffered';

/** Bytes a buffered socket may hold in its own buffer before it counts as full. */
const BUFFERED_HIGH_WATER_BYTES = 1024 * 1024;

/** The `node:net` socket driver, which Node, Deno and Bun all provide; `writeMode` is the runtime's part. */
export function nodeNetDriver(writeMode: WriteMode): SocketDriver {
  return {
    connect: (target, events) => connectSocket(target, events, writeMode),
    listen: (target, accept) => listenOn(target, accept, writeMode),
    probe: (target, timeoutMs) => probe(target, timeoutMs),
  };
}

function connectTo(target: SocketTarget): Socket {
  return target.kind === 'unix' ? createConnection({ path: target.path }) : createConnection({ host: target.host, port: target.port });
}

function connectSocket(target: SocketTarget, events: ProducerSocketEvents, writeMode: WriteMode): ProducerSocket {
  let socket: Socket | undefined;
  let fd: number | undefined;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    events.ended();
  };
  try {
    socket = connectTo(target);
  } catch {
    afterCurrentTask(end);
  }
  socket?.unref();
  socket?.on('connect', () => {
    if (writeMode === 'descriptor') fd = descriptorOf(socket as Socket);
    events.connected();
  });
  socket?.on('data', (chunk: Uint8Array) => events.data(chunk));
  socket?.on('error', () => {});
  socket?.on('close', end);
  return {
    get synchronous() {
      return fd !== undefined;
    },
    writeSync(bytes, offset, length) {
      if (ended || socket === undefined || socket.destroyed) throw new Error('the connection to the collector is closed');
      if (fd !== undefined) return descriptorWrite(fd)(bytes, offset, length);
      if (socket.writableLength >= BUFFERED_HIGH_WATER_BYTES) return 0;
      socket.write(bytes.subarray(offset, offset + length));
      return length;
    },
    keepAlive(on) {
      if (on) socket?.ref();
      else socket?.unref();
    },
    close() {
      fd = undefined;
      if (socket !== undefined && !socket.destroyed) {
        // Buffered bytes still go out with end(); a descriptor's bytes are in the kernel already.
        socket.end();
        socket.destroySoon?.();
      }
    },
  };
}

function listenOn(target: SocketTarget, accept: (socket: CollectorSocket) => void, writeMode: WriteMode): Promise<ListeningSocket> {
  const server: Server = createServer({ allowHalfOpen: false }, (socket) => accept(collectorSocket(socket, writeMode)));
  return new Promise<ListeningSocket>((resolve, reject) => {
    const failed = (error: Error): void => reject(error);
    server.once('error', failed);
    const listening = (): void => {
      server.off('error', failed);
      server.on('error', () => {});
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : undefined,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    };
    if (target.kind === 'unix') withPrivateUmask(() => server.listen({ path: target.path }, listening));
    else server.listen({ host: target.host, port: target.port }, listening);
  });
}

/**
 * Runs `bind` with umask 0177, so a Unix socket is made 0600 from the start rather than after a
 * `chmod`; where the runtime cannot change the umask the caller's `chmod` right after is all there is.
 */
function withPrivateUmask(bind: () => void): void {
  const umask = (process as { umask?: (mask?: number) => number }).umask;
  let previous: number | undefined;
  try {
    previous = umask?.call(process, 0o177);
  } catch {
    previous = undefined;
  }
  try {
    bind();
  } finally {
    if (previous !== undefined) {
      try {
        umask?.call(process, previous);
      } catch {
        // left as it was set
      }
    }
  }
}

/** The socket's file descriptor, where the runtime exposes it. */
function descriptorOf(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** A synchronous, non-waiting write on a descriptor: 0 when the socket is full; throws once the peer is gone. */
function descriptorWrite(fd: number): (bytes: Uint8Array, offset: number, length: number) => number {
  return (bytes, offset, length) => {
    try {
      return writeSync(fd, bytes, offset, length);
    } catch (error) {
      if (isFull(error)) return 0;
      throw error;
    }
  };
}

/**
 * An accepted connection. With a descriptor, answers are written to it directly (in order, the rest
 * retried when the socket is full): a failed answer to a producer that already closed then never
 * makes the runtime tear the socket down before its last records, already in the kernel, are read.
 */
function collectorSocket(socket: Socket, writeMode: WriteMode): CollectorSocket {
  socket.on('error', () => {});
  const fd = writeMode === 'descriptor' ? descriptorOf(socket) : undefined;
  const answers = fd === undefined ? undefined : new StreamWriter(descriptorWrite(fd), () => {});
  return {
    read(receive, end) {
      socket.on('data', (chunk: Uint8Array) => receive(chunk));
      socket.on('end', end);
      socket.on('close', end);
    },
    write(bytes) {
      if (socket.destroyed || !socket.writable) return;
      try {
        if (answers !== undefined) {
          if (!answers.broken) answers.write(bytes);
          return;
        }
        socket.write(bytes);
      } catch {
        // the producer is gone
      }
    },
    close() {
      if (!socket.destroyed) {
        socket.end();
        socket.destroySoon?.();
      }
    },
  };
}

function probe(target: SocketTarget, timeoutMs: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let socket: Socket;
    try {
      socket = connectTo(target);
    } catch {
      resolve(false);
      return;
    }
    const timer = setTimeout(() => finish(false), timeoutMs);
    const finish = (alive: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(alive);
    };
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

function isFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'EAGAIN' || code === 'EWOULDBLOCK';
}
