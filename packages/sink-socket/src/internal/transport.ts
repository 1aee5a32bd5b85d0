import type { Frame } from './record-encoding.ts';

/** What a transport has written so far and what waits. */
export interface TransportCounts {
  /** Records written to the socket (to the kernel: plain TCP and UDP confirm no delivery). */
  readonly written: number;
  /** UTF-8 bytes of those records, framing included. */
  readonly writtenBytes: number;
  /** Records waiting to be written (buffered, or handed to the socket and not yet written). */
  readonly pendingRecords: number;
  /** UTF-8 bytes of those records, framing included. */
  readonly pendingBytes: number;
}

/** How the sink drives a stream connection or a datagram socket. */
export interface Transport {
  /** Whether records can go out now (always true for UDP, which has no connection). */
  readonly connected: boolean;
  /** Connections opened again after a lost one (0 for UDP). */
  readonly reconnects: number;
  readonly counts: TransportCounts;
  /** Takes frames; returns a promise when the caller should wait for the socket to take them. */
  send(frames: readonly Frame[]): Promise<void> | undefined;
  /** Resolves true once every frame was written, or false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>;
  /**
   * At process exit, for stream connections: connected, hands what waits and `frames` to the
   * socket at once and returns 0; not connected, discards them and returns their count.
   * Missing for UDP.
   */
  lastWrite?(frames?: readonly Frame[]): number;
  /** Stops, waiting at most `timeoutMs` for what is pending; returns how many records were never written. */
  close(timeoutMs: number): Promise<number>;
}
