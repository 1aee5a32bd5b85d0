import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ResolvedSocketSinkOptions } from '../options.ts';
import type { Frame } from './record-encoding.ts';
import type { Transport, TransportCounts } from './transport.ts';

/** What the sender tells its sink as it happens. */
export interface DatagramEvents {
  /** A send failed locally: once per run of failures, not per datagram. */
  failed(error: Error): void;
  /** Datagrams that failed to send (each one record), with the error. */
  dropped(records: number, error: Error): void;
}

/**
 * Sends one datagram per record (RFC 5426). UDP has no connection and no acknowledgement: a
 * datagram the network or the collector drops is lost unseen. Sends that fail locally are counted
 * and told to the sink.
 */
export class DatagramSender implements Transport {
  private readonly socket: Socket;
  private inFlight = 0;
  private inFlightBytes = 0;
  private errorReported = false;
  private waiters: (() => void)[] = [];
  private closed = false;
  /** Set when close() gave up on sends still in progress: their late results are no longer counted. */
  private abandoned = false;
  private written = 0;
  private writtenBytes = 0;
  readonly connected = true;
  readonly reconnects = 0;

  constructor(
    private readonly options: ResolvedSocketSinkOptions,
    private readonly events: DatagramEvents,
  ) {
    this.socket = createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
    // a socket-level error also fails the send in progress, which counts it
    this.socket.on('error', () => {});
    try {
      // Sends in progress still complete on Node, Deno and Bun (tested); an idle socket never holds the process.
      // (Deno cannot unref a dgram socket again after ref(), so it is never ref'd.)
      this.socket.unref();
    } catch {
      // a runtime without unref: close() still closes the socket
    }
  }

  get counts(): TransportCounts {
    return { written: this.written, writtenBytes: this.writtenBytes, pendingRecords: this.inFlight, pendingBytes: this.inFlightBytes };
  }

  /** Sends each frame as one datagram; resolves when every send completed or failed. */
  send(frames: readonly Frame[]): Promise<void> {
    return Promise.all(frames.map((frame) => this.sendOne(frame))).then(() => {});
  }

  /** Resolves true once no send is pending, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.inFlight === 0) return true;
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      timer.unref?.();
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** Waits for pending sends (bounded), then closes the socket. */
  async close(timeoutMs: number): Promise<number> {
    if (this.closed) return 0;
    this.closed = true;
    const drained = await this.drain(timeoutMs);
    const lost = drained ? 0 : this.inFlight;
    this.abandoned = !drained;
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    return lost;
  }

  private sendOne(frame: Frame): Promise<void> {
    this.inFlight += 1;
    this.inFlightBytes += frame.bytes;
    return new Promise((resolve) => {
      const done = (error?: Error | null): void => {
        if (this.abandoned) {
          resolve();
          return;
        }
        this.inFlight -= 1;
        this.inFlightBytes -= frame.bytes;
        if (error) {
          if (!this.errorReported) {
            this.errorReported = true;
            this.events.failed(new Error(`datagram not sent (${error.message}); counting dropped records`));
          }
          this.events.dropped(1, error);
        } else {
          this.errorReported = false;
          this.written += 1;
          this.writtenBytes += frame.bytes;
        }
        if (this.inFlight === 0) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const waiter of waiters) waiter();
        }
        resolve();
      };
      try {
        this.socket.send(frame.text, this.options.port, this.options.host, done);
      } catch (error) {
        done(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }
}
