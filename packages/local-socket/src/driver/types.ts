/** Where a collector listens and a producer connects: a Unix socket path, or a loopback TCP port. */
export type SocketTarget = { readonly kind: 'unix'; readonly path: string } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

/** What a producer's connection tells its owner. */
export interface ProducerSocketEvents {
  /** The connection is up; writes may begin. */
  connected(): void;
  /** A chunk of the collector's answers. */
  data(chunk: Uint8Array): void;
  /** The connection failed or ended (called once). */
  ended(): void;
}

/** A producer's connection to the collector, as the driver of the runtime provides it. */
export interface ProducerSocket {
  /**
   * Writes part of `bytes` and returns how many bytes the socket took: 0 when it is full. Throws
   * once the connection is gone. `synchronous` says whether taken bytes are in the kernel when it
   * returns (so they survive the process's exit at once) or still in the runtime's own buffer.
   */
  writeSync(bytes: Uint8Array, offset: number, length: number): number;
  /** True when `writeSync` puts bytes into the kernel before it returns. */
  readonly synchronous: boolean;
  /** Whether the connection keeps the process alive (off by default). */
  keepAlive(on: boolean): void;
  /** Ends the connection. Idempotent; never throws. */
  close(): void;
}

/** One accepted connection on the collector's side. */
export interface CollectorSocket {
  /** Starts reading: `receive` for each chunk, `end` when the peer ends or the connection fails (may repeat). */
  read(receive: (chunk: Uint8Array) => void, end: () => void): void;
  /** Writes an answer, best effort: dropped when the peer is gone. Never throws. */
  write(bytes: Uint8Array): void;
  /** Ends the connection. Idempotent; never throws. */
  close(): void;
}

/** A listening server of the driver. */
export interface ListeningSocket {
  /** The TCP port it listens on (the one chosen when 0 was asked for); undefined for a Unix socket. */
  readonly port: number | undefined;
  /** Stops accepting connections (open ones stay). Resolves once the server is closed. */
  close(): Promise<void>;
}

/** The socket primitives of one runtime. */
export interface SocketDriver {
  /** Starts connecting; events follow. Never throws. */
  connect(target: SocketTarget, events: ProducerSocketEvents): ProducerSocket;
  /** Listens; `accept` receives each connection. Rejects when the address cannot be bound. */
  listen(target: SocketTarget, accept: (socket: CollectorSocket) => void): Promise<ListeningSocket>;
  /** Resolves true when something accepts a connection on `target` within `timeoutMs`. */
  probe(target: SocketTarget, timeoutMs: number): Promise<boolean>;
}
