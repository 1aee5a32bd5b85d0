import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { ResolvedSocketSinkOptions } from '../options.ts';
import type { Frame } from './record-encoding.ts';

/**
 * Sends one datagram per record (RFC 5426). UDP has no connection and no acknowledgement: a
 * datagram the network or the collector drops is lost unseen. Sends that fail locally are counted,
 * and the count goes out as a record with the next successful send.
 */
export class DatagramSender {
  private readonly socket: Socket;
  private inFlight = 0;
  private unreportedDrops = 0;
  private lastError: Error | undefined;
  private errorReported = false;
  private waiters: (() => void)[] = [];
  private closed = false;
  sentRecords = 0;
  sentBytes = 0;
  dropped = 0;

  constructor(
    private readonly options: ResolvedSocketSinkOptions,
    private readonly lossFrames: (dropped: number, error: string) => Frame[],
  ) {
    this.socket = createSocket(isIPv6(options.host) ? 'udp6' : 'udp4');
    this.socket.on('error', (error: Error) => {
      this.lastError = error;
    });
    try {
      // Sends in progress still complete on Node, Deno and Bun (tested); an idle socket never holds the process.
      // (Deno cannot unref a dgram socket again after ref(), so it is never ref'd.)
      this.socket.unref();
    } catch {
      // a runtime without unref: close() still closes the socket
    }
  }

  get buffered(): number {
    return this.inFlight;
  }

  /** Sends each frame as one datagram; resolves when every send completed or failed. */
  send(frames: readonly Frame[]): Promise<void> {
    const all = this.unreportedDrops > 0 ? [...this.lossFrames(this.unreportedDrops, this.lastError?.message ?? 'unknown'), ...frames] : frames;
    this.unreportedDrops = 0;
    const sends = all.map((frame) => this.sendOne(frame));
    return Promise.all(sends).then(() => {});
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
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    return lost;
  }

  private sendOne(frame: Frame): Promise<void> {
    this.inFlight += 1;
    return new Promise((resolve) => {
      const done = (error?: Error | null): void => {
        this.inFlight -= 1;
        if (error) {
          this.lastError = error;
          this.unreportedDrops += 1;
          this.dropped += 1;
          if (!this.errorReported) {
            this.errorReported = true;
            this.report(`socket sink ${this.options.name}: datagram not sent (${error.message}); counting dropped records`);
          }
        } else {
          this.errorReported = false;
          this.sentRecords += 1;
          this.sentBytes += frame.bytes;
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

  private report(message: string): void {
    try {
      this.options.onError(new Error(message));
    } catch {
      // a reporting hook that throws must not break the sink
    }
  }
}
