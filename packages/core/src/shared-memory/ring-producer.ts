import type { ProducerEndpoint } from '../channel/types.ts';
import { afterCurrentTask, sleep, startKeepAliveTimer, stopKeepAliveTimer } from '../internal/host.ts';
import { checkInteger } from '../queue/handler-options.ts';
import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';
import { CONSUMER_CLOSED, FLUSHED } from './ring-layout.ts';
import { waitAsync } from './ring-reader.ts';
import { RingWriter } from './ring-writer.ts';
import type { RingWriterStats } from './ring-writer.ts';

/** Options of the producer's end of a ring. */
export interface RingProducerOptions {
  /**
   * How long a log call may wait for room when the ring is full, in milliseconds, before the record
   * is dropped (and counted). After one timeout the producer does not wait again until the listener
   * has read something. 0 drops at once. Default: 1,000.
   */
  readonly waitTimeout?: number;
  /**
   * How long a pending `flush()` keeps the thread alive waiting for the listener's answer, in
   * milliseconds (match the handler's `flushTimeout`). Default: 10,000.
   */
  readonly flushTimeout?: number;
}

/** The producer's end of a ring. */
export interface RingProducerEndpoint extends ProducerEndpoint {
  readonly durable: true;
  appendLine(seq: number, line: string): void;
  /** What the ring's writer did so far. */
  readonly stats: RingWriterStats;
  /** Changes `waitTimeout` from now on (checked like the option). */
  setWaitTimeout(milliseconds: number): void;
}

/**
 * The producer's end of a ring made by `createRingBuffer()`, for a QueueHandler in a worker. Every
 * record is in shared memory when the log call returns (`durable`), so a thread terminated on the
 * next line loses nothing it logged. Frames from the listener come back through the ring's header.
 */
export function createRingProducerEndpoint(ring: SharedArrayBuffer, options: RingProducerOptions = {}): RingProducerEndpoint {
  const waitTimeout = checkInteger(options.waitTimeout ?? 1_000, 'waitTimeout', 0);
  const flushTimeout = checkInteger(options.flushTimeout ?? 10_000, 'flushTimeout', 1);
  const writer = new RingWriter(ring, waitTimeout);
  const header = new Int32Array(ring, 0, 48);
  let receiver: ((frame: ListenerFrame) => void) | undefined;
  let onClose: (() => void) | undefined;
  let closed = false;
  let listenerGone = false;
  /** Flush ids awaiting the listener's answer, oldest first. */
  const pendingFlushes: number[] = [];
  let keepAlive: unknown;
  let watching = false;

  const reply = (frame: ListenerFrame): void => {
    try {
      receiver?.(frame);
    } catch {
      // the handler guards itself
    }
  };

  const noticeListenerGone = (): void => {
    if (listenerGone) return;
    listenerGone = true;
    for (const id of pendingFlushes.splice(0)) reply({ type: 'flushed', id, complete: false });
    stopKeepAliveTimer(keepAlive);
    onClose?.();
  };

  const watchFlushes = async (): Promise<void> => {
    if (watching) return;
    watching = true;
    try {
      while (pendingFlushes.length > 0) {
        if (Atomics.load(header, CONSUMER_CLOSED) !== 0) return noticeListenerGone();
        const answer = Atomics.load(header, FLUSHED);
        const answered = Math.abs(answer);
        while (pendingFlushes.length > 0 && (pendingFlushes[0] as number) <= answered) {
          reply({ type: 'flushed', id: pendingFlushes.shift() as number, complete: answer > 0 });
        }
        if (pendingFlushes.length === 0) break;
        const result = waitAsync?.(header, FLUSHED, answer, 1_000);
        if (result?.async === true) await result.value;
        else await sleep(4);
      }
      stopKeepAliveTimer(keepAlive);
      keepAlive = undefined;
    } finally {
      watching = false;
    }
  };

  const send = (frame: ProducerFrame): void => {
    if (closed) throw new Error('ring channel is closed');
    switch (frame.type) {
      case 'batch': {
        const { firstSeq, lines } = frame;
        for (let index = 0; index < lines.length; index++) writer.writeRecord(firstSeq + index, lines[index] as string);
        // The lines are in shared memory now: nothing of them stays in the producer's heap.
        reply({ type: 'ack', seq: firstSeq + lines.length - 1 });
        break;
      }
      case 'flush':
        if (!writer.writeControl(frame)) {
          afterCurrentTask(() => reply({ type: 'flushed', id: frame.id, complete: false }));
          if (writer.consumerClosed) afterCurrentTask(noticeListenerGone);
          return;
        }
        pendingFlushes.push(frame.id);
        stopKeepAliveTimer(keepAlive);
        keepAlive = startKeepAliveTimer(() => {
          keepAlive = undefined;
        }, flushTimeout);
        void watchFlushes();
        break;
      default:
        writer.writeControl(frame);
    }
    if (writer.consumerClosed) afterCurrentTask(noticeListenerGone);
  };

  return {
    durable: true,
    get stats() {
      return writer.stats;
    },
    send,
    setWaitTimeout(milliseconds) {
      writer.setWaitTimeout(checkInteger(milliseconds, 'waitTimeout', 0));
    },
    appendLine(seq: number, line: string): void {
      if (closed) throw new Error('ring channel is closed');
      if (!writer.writeRecord(seq, line) && writer.consumerClosed) afterCurrentTask(noticeListenerGone);
    },
    onFrame(callback) {
      receiver = callback;
    },
    onClose(callback) {
      onClose = callback;
    },
    close() {
      if (closed) return;
      closed = true;
      writer.close();
      stopKeepAliveTimer(keepAlive);
      keepAlive = undefined;
    },
  };
}
