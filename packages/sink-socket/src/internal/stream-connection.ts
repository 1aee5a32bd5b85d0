import type { Socket } from 'node:net';
import { startTimer, stopTimer } from '@tributary/core/sink';
import type { SpoolBridge } from '@tributary/core/sink';
import type { ResolvedSocketSinkOptions } from '../options.ts';
import { Backoff } from './backoff.ts';
import { FrameQueue } from './frame-queue.ts';
import { linesOf } from './record-encoding.ts';
import type { Frame } from './record-encoding.ts';
import type { StreamEvents } from './stream-events.ts';
import { endSocket, openStream } from './stream-transport.ts';
import type { Transport, TransportCounts } from './transport.ts';
import { UnconfirmedWindow } from './unconfirmed-window.ts';

/** Bytes handed to the socket per write call at most. */
const CHUNK_BYTES = 64 * 1024;

interface Chunk {
  readonly frames: readonly Frame[];
  done: boolean;
}

type State = 'connecting' | 'connected' | 'waiting' | 'closed';

interface OutageCounts {
  since: number;
  failedAttempts: number;
  unconfirmed: number;
  interrupted: number;
  reconnection: boolean;
}

/**
 * One stream (TCP, TLS or Unix) to the collector that reconnects with exponential backoff after any
 * failure. While connected, frames go straight to the socket (the sink waits for it to drain); while
 * not, they wait in a bounded buffer, and what does not fit is dropped and counted. Frames the socket
 * had not written when a connection failed are put back in front of the buffer and sent again.
 *
 * With a spool, frames go to disk while disconnected (and while it holds anything: order), and a
 * lost connection, close or exit puts what is held there too, the unconfirmed window included (sent
 * again: at least once). Spooled frames are read back a spool file at a time; a file is removed
 * once its frames left the window, or `close()` ended their connection cleanly.
 */
export class StreamConnection implements Transport {
  private state: State = 'connecting';
  private socket: Socket | undefined;
  private generation = 0;
  private readonly pending = new FrameQueue();
  private inFlight: Chunk[] = [];
  private blocked = false;
  private retryTimer: unknown;
  private connectTimer: unknown;
  private readonly backoff: Backoff;
  private errorReported = false;
  /** Whether the socket keeps the process alive: only while it has records to deliver. */
  private referenced = false;
  private lastError: Error | undefined;
  /** The outage going on, reported when a connection opens again. */
  private outage: OutageCounts | undefined;
  private written: { records: number; bytes: number } = { records: 0, bytes: 0 };
  /** Completed writes of the current connection within the unconfirmed window. */
  private readonly window: UnconfirmedWindow;
  private waiters: (() => void)[] = [];
  /** Connections opened after a failure. */
  reconnects = 0;

  constructor(
    private readonly options: ResolvedSocketSinkOptions,
    private readonly events: StreamEvents,
    private readonly spool?: SpoolBridge<Frame>,
  ) {
    this.backoff = new Backoff(options.initialDelay, options.maxDelay, options.factor);
    this.window = new UnconfirmedWindow(options.unconfirmedWindowBytes);
    this.open();
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  get counts(): TransportCounts {
    let records = this.pending.records;
    let bytes = this.pending.bytes;
    for (const chunk of this.inFlight) {
      if (chunk.done) continue;
      records += chunk.frames.length;
      for (const frame of chunk.frames) bytes += frame.bytes;
    }
    return { written: this.written.records, writtenBytes: this.written.bytes, pendingRecords: records, pendingBytes: bytes };
  }

  /**
   * Queues frames (with a spool, while disconnected or while it holds anything, on disk); returns a
   * promise when the caller should wait: for the attempt being made, or for the socket to take them
   * (and the spool, which goes first).
   */
  send(frames: readonly Frame[]): Promise<void> | undefined {
    // settled: the frames went out (the socket took them), or the connection is down (they wait in the buffer or the spool)
    const settled = (): boolean =>
      this.state === 'waiting' ||
      this.state === 'closed' ||
      (this.state === 'connected' && this.pending.records === 0 && !this.blocked && (this.spool?.backlog ?? 0) === 0);
    if (this.spool !== undefined && (this.state === 'waiting' || this.spool.backlog > 0)) {
      this.spool.append(linesOf(frames));
    } else {
      for (const frame of frames) this.pending.push(frame);
    }
    this.updateReference();
    if (this.state === 'waiting') {
      this.trimBuffer();
      return undefined;
    }
    // connecting: wait for the attempt's outcome; connected: for the socket to take the frames
    this.pump();
    return settled() ? undefined : this.until(settled);
  }

  /** Records in the spool, not read back yet (0 without one). */
  get backlog(): number {
    return this.spool?.backlog ?? 0;
  }

  /** Resolves true once every frame (and, with a spool, every spooled record) was written to the socket, or false after `timeoutMs`. */
  async drain(timeoutMs: number, giveUp: () => boolean = () => false): Promise<boolean> {
    const idle = (): boolean => this.pending.records === 0 && this.inFlight.length === 0 && this.backlog === 0;
    if (idle()) return true;
    let timer: unknown;
    // A referenced timer: a pending flush() or close() keeps the process alive until it settles
    // (the socket itself may be unreferenced, or gone while the collector is down).
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    // closed (with a spool, by the exit: what is held is on disk), there is nothing to wait for
    const result = await Promise.race([this.until(() => idle() || giveUp() || this.state === 'closed').then(() => idle()), timedOut]);
    clearTimeout(timer as ReturnType<typeof setTimeout>);
    return result;
  }

  /**
   * The process is exiting (no callback will run again). With a spool, everything held (the
   * unconfirmed window included) and `frames` go to disk, and the connection stops. Without one:
   * connected, every waiting frame and `frames` go to the socket at once, which hands the runtime
   * what it can before the process ends, and nothing is counted lost; not connected, they are
   * discarded and their count returned.
   */
  lastWrite(frames: readonly Frame[] = []): number {
    if (this.spool !== undefined) {
      this.spillHeld(false);
      this.spool.append(linesOf(frames));
      this.state = 'closed';
      this.generation += 1; // late socket callbacks change nothing now
      this.wake();
      return 0;
    }
    if (this.state !== 'connected') return this.pending.clear() + frames.length;
    for (const frame of frames) this.pending.push(frame);
    this.pump(true);
    return 0;
  }

  /**
   * Stops reconnecting, ends the socket, and returns how many records were never written (the
   * caller reports them). With a spool that is 0: they, and the unconfirmed window unless the
   * collector closed its side after reading everything, stay on disk for the next start.
   */
  async close(timeoutMs: number): Promise<number> {
    let lastAttempt = false;
    if (this.state === 'waiting') {
      // one last immediate attempt, so that buffered records are not lost to a long backoff
      stopTimer(this.retryTimer);
      this.open();
      lastAttempt = true;
    }
    // If that last attempt fails, what is left is undelivered: no waiting out the backoff.
    await this.drain(timeoutMs, () => lastAttempt && this.state === 'waiting');
    const socket = this.socket;
    const wasConnected = this.state === 'connected';
    this.state = 'closed';
    this.generation += 1;
    stopTimer(this.retryTimer);
    stopTimer(this.connectTimer);
    this.socket = undefined;
    if (this.spool !== undefined) {
      // a clean end confirms every byte handed to the socket before it (the collector read up to our FIN)
      const ended = socket !== undefined && (await endSocket(socket, Math.min(timeoutMs, 2_000)));
      this.spillHeld(wasConnected && ended);
      this.wake();
      return 0;
    }
    const lost = this.pending.clear() + this.inFlight.filter((chunk) => !chunk.done).reduce((sum, chunk) => sum + chunk.frames.length, 0);
    this.inFlight = [];
    this.wake();
    if (socket !== undefined) await endSocket(socket, Math.min(timeoutMs, 2_000));
    return lost;
  }

  private open(): void {
    this.state = 'connecting';
    const generation = ++this.generation;
    let opening: ReturnType<typeof openStream>;
    try {
      opening = openStream(this.options);
    } catch (error) {
      this.failed(generation, error);
      return;
    }
    const socket = opening.socket;
    this.socket = socket;
    this.referenced = true;
    this.updateReference();
    this.connectTimer = startTimer(() => {
      if (generation === this.generation && this.state === 'connecting') {
        socket.destroy(new Error(`connection not established within ${this.options.connectTimeout} ms`));
      }
    }, this.options.connectTimeout);
    socket.once(opening.readyEvent, () => this.opened(generation));
    socket.on('error', (error: Error) => {
      if (generation === this.generation) this.lastError = error;
    });
    socket.on('drain', () => {
      if (generation !== this.generation) return;
      this.blocked = false;
      this.pump();
      this.wake();
    });
    // Collectors send nothing; reading lets 'end' arrive when the peer closes.
    socket.on('data', () => {});
    socket.on('end', () => socket.destroy());
    socket.on('close', () => this.failed(generation, this.lastError ?? new Error('connection closed by the collector')));
  }

  private opened(generation: number): void {
    if (generation !== this.generation || this.state !== 'connecting') return;
    stopTimer(this.connectTimer);
    this.state = 'connected';
    this.blocked = false;
    this.window.reset();
    try {
      this.socket?.setKeepAlive(true, 30_000);
      this.socket?.setNoDelay(true);
    } catch {
      // optional socket options
    }
    const outage = this.outage;
    this.outage = undefined;
    if (outage !== undefined) {
      if (outage.reconnection) this.reconnects += 1;
      this.events.reconnected({
        downMs: Date.now() - outage.since,
        failedAttempts: outage.failedAttempts,
        error: this.lastError?.message ?? 'unknown',
        unconfirmed: outage.unconfirmed,
        interrupted: outage.interrupted,
      });
    }
    this.backoff.reset();
    this.errorReported = false;
    this.lastError = undefined;
    this.pump();
    this.wake();
  }

  private failed(generation: number, error: unknown): void {
    if (generation !== this.generation || this.state === 'closed') return;
    stopTimer(this.connectTimer);
    const wasConnected = this.state === 'connected';
    this.generation += 1;
    this.socket?.destroy();
    this.socket = undefined;
    this.lastError = error instanceof Error ? error : new Error(String(error));
    const outage = this.outageSoFar(wasConnected);
    if (wasConnected) {
      outage.unconfirmed += this.window.records;
      for (const chunk of this.inFlight) if (!chunk.done) outage.interrupted += chunk.frames.length;
    } else {
      outage.failedAttempts += 1;
    }
    if (this.spool !== undefined) {
      // everything held, the unconfirmed window too (sent again: at least once), waits on disk
      this.spillHeld(false);
    } else {
      // frames the socket did not write go back in front, in order
      this.pending.unshift(this.inFlight.filter((chunk) => !chunk.done).flatMap((chunk) => chunk.frames));
      this.inFlight = [];
      this.window.reset();
      this.trimBuffer();
    }
    this.blocked = false;
    if (!this.errorReported) {
      this.errorReported = true;
      const what = wasConnected ? 'connection lost' : 'cannot connect';
      this.events.failed(new Error(`${what} (${this.lastError.message}); retrying with backoff, buffering up to ${this.options.bufferRecords} records`));
    }
    this.state = 'waiting';
    const wait = this.backoff.next();
    this.retryTimer = startTimer(() => {
      if (this.state === 'waiting') this.open();
    }, wait);
    this.wake();
  }

  /**
   * Lets the socket keep the process alive only while records wait for it, so that a script that
   * logs and returns still delivers them (Deno needs the reference for that) but never hangs on an
   * idle connection.
   */
  private updateReference(): void {
    const socket = this.socket;
    if (socket === undefined) return;
    const busy = this.pending.records > 0 || this.inFlight.length > 0 || (this.state === 'connected' && this.backlog > 0);
    if (busy === this.referenced) return;
    this.referenced = busy;
    try {
      if (busy) socket.ref();
      else socket.unref();
    } catch {
      // a runtime without ref/unref: the sink's close() still ends the socket
    }
  }

  /** Hands buffered frames (then spooled ones, a spool file at a time) to the socket until it asks to wait (or, at exit, all of them). */
  private pump(all = false): void {
    this.updateReference();
    const socket = this.socket;
    if (this.state !== 'connected' || socket === undefined) return;
    const generation = this.generation;
    const refill = (): boolean => this.spool?.refill((frame) => this.pending.push(frame)) === true;
    while ((all || !this.blocked) && (this.pending.records > 0 || refill())) {
      if (this.pending.records === 0) continue; // a spool file with no readable record
      const frames = this.pending.take(CHUNK_BYTES);
      const chunk: Chunk = { frames, done: false };
      this.inFlight.push(chunk);
      let text = '';
      for (const frame of frames) text += frame.text;
      const accepted = socket.write(text, 'utf8', (error?: Error | null) => {
        if (generation !== this.generation || error) return;
        this.completed(chunk);
      });
      if (!accepted) this.blocked = true;
    }
  }

  /**
   * Puts everything the connection holds on disk, before what is spooled, in order: the frames of
   * the unconfirmed window and those handed to the socket and not reported written (unless
   * `confirmed`: the collector read them all), and those waiting.
   */
  private spillHeld(confirmed: boolean): void {
    const handed = [...this.window.reset(), ...this.inFlight.filter((chunk) => !chunk.done).flatMap((chunk) => chunk.frames)];
    this.inFlight = [];
    if (confirmed) this.spool?.answered(handed);
    this.spool?.spill([...(confirmed ? [] : handed), ...this.pending.takeAll()]);
  }

  private trimBuffer(): void {
    const removed = this.pending.trimTo(this.options.bufferRecords, this.options.bufferBytes);
    if (removed > 0) this.events.dropped(removed);
  }

  /** The outage being counted, started now if there is none. */
  private outageSoFar(lostConnection: boolean): OutageCounts {
    this.outage ??= { since: Date.now(), failedAttempts: 0, unconfirmed: 0, interrupted: 0, reconnection: false };
    if (lostConnection) this.outage.reconnection = true;
    return this.outage;
  }

  /** The socket wrote a chunk (to the kernel: not a proof of delivery); spooled frames that left the unconfirmed window are confirmed. */
  private completed(chunk: Chunk): void {
    chunk.done = true;
    let bytes = 0;
    for (const frame of chunk.frames) bytes += frame.bytes;
    this.written.records += chunk.frames.length;
    this.written.bytes += bytes;
    const confirmed = this.window.written(chunk.frames, bytes);
    this.spool?.answered(confirmed);
    while (this.inFlight[0]?.done === true) this.inFlight.shift();
    if (this.spool !== undefined && this.pending.records === 0 && !this.blocked) this.pump();
    this.updateReference();
    this.wake();
  }

  private until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (condition()) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
