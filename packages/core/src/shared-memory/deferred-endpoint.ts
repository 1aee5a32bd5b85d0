import type { ProducerEndpoint } from '../channel/types.ts';
import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';
import type { ProvisionalRing } from './provisional-ring.ts';

/** A producer endpoint usable before its channel exists: see {@link createDeferredProducerEndpoint}. */
export interface DeferredProducerEndpoint extends ProducerEndpoint {
  /** True once {@link connect} was called. */
  readonly connected: boolean;
  /** Records dropped while waiting because the buffer was full (the listener sees the gap). */
  readonly droppedWhileWaiting: number;
  /** Plugs in the real endpoint: replays what was kept, in order, then passes everything through. */
  connect(target: ProducerEndpoint): void;
  appendLine(seq: number, line: string): void;
  /**
   * The record lines kept so far, in order, taken out of the buffer (frames are left). With a
   * provisional ring, it is given up first; if an acceptor took it already (the thread had not heard
   * yet), the endpoint stays on it and nothing is returned: the acceptor reads those records.
   */
  takeLines(): string[];
  /** With a provisional ring: true (and connected to it) once an acceptor took it. */
  adoptIfAccepted(): boolean;
}

type Kept = ProducerFrame | { readonly type: 'line'; readonly seq: number; readonly line: string };

/**
 * An endpoint a logger can use at once while its real channel is still being set up (a worker
 * waiting for its parent to send the ring): frames and records are kept in memory, up to
 * `maxBufferedChars` characters of records (UTF-16 code units, as `line.length` counts them: bytes
 * for ASCII, fewer than the UTF-8 bytes otherwise; beyond that they are dropped and show as a
 * sequence gap), and
 * handed over in order once {@link DeferredProducerEndpoint.connect} is called. Records kept here are
 * not durable: a thread that ends unconnected can only write them elsewhere
 * ({@link DeferredProducerEndpoint.takeLines}); one killed unconnected loses them. With a
 * `provisional` ring (a thread that asked the process's acceptors), every frame is also written
 * into that ring at once, so it is durable (`durable` is true): if an acceptor takes the ring, the
 * endpoint stays on it and drops its copies; if another channel is connected first, the ring is
 * given up and the copies are replayed there.
 */
export function createDeferredProducerEndpoint(maxBufferedChars: number = 4 * 1024 * 1024, provisional?: ProvisionalRing): DeferredProducerEndpoint {
  let kept: Kept[] = [];
  let keptChars = 0;
  let target: ProducerEndpoint | undefined;
  let receiver: ((frame: ListenerFrame) => void) | undefined;
  let onClose: (() => void) | undefined;
  let closeRequested = false;
  let dropped = 0;

  const keepLine = (seq: number, line: string): void => {
    if (keptChars + line.length > maxBufferedChars) {
      dropped += 1;
      return;
    }
    kept.push({ type: 'line', seq, line });
    keptChars += line.length;
  };

  const attach = (endpoint: ProducerEndpoint): void => {
    target = endpoint;
    endpoint.onFrame((frame) => receiver?.(frame));
    endpoint.onClose(() => onClose?.());
  };
  /** Switches to the provisional ring an acceptor took: it holds everything already, the copies go. */
  const adoptIfAccepted = (): boolean => {
    if (target !== undefined) return target === provisional?.endpoint;
    if (provisional === undefined || !provisional.accepted()) return false;
    provisional.endpoint.setWaitTimeout(provisional.takenWaitTimeout());
    kept = [];
    keptChars = 0;
    attach(provisional.endpoint);
    return true;
  };
  /** While no acceptor has it, the provisional ring gets every frame too (it never waits then). */
  const tee = (write: (ring: ProducerEndpoint & { appendLine(seq: number, line: string): void }) => void): void => {
    if (provisional === undefined) return;
    try {
      write(provisional.endpoint);
    } catch {
      // the copy in memory is still kept
    }
  };
  // The ring's answers (a flush confirmed once an acceptor reads it) reach the handler; its acks are the endpoint's own.
  provisional?.endpoint.onFrame((frame) => {
    if (target === undefined && frame.type !== 'ack') receiver?.(frame);
  });

  return {
    get durable() {
      return target === undefined ? provisional !== undefined : target.durable === true;
    },
    get connected() {
      adoptIfAccepted();
      return target !== undefined;
    },
    adoptIfAccepted,
    get droppedWhileWaiting() {
      return dropped;
    },
    send(frame) {
      if (target !== undefined || adoptIfAccepted()) return target?.send(frame);
      if (closeRequested) throw new Error('channel is closed');
      tee((ring) => ring.send(frame));
      if (frame.type === 'batch') {
        frame.lines.forEach((line, index) => keepLine(frame.firstSeq + index, line));
        receiver?.({ type: 'ack', seq: frame.firstSeq + frame.lines.length - 1 });
      } else {
        kept.push(frame);
      }
    },
    appendLine(seq, line) {
      if (target === undefined && !adoptIfAccepted()) {
        if (closeRequested) throw new Error('channel is closed');
        tee((ring) => ring.appendLine(seq, line));
        return keepLine(seq, line);
      }
      if (target === undefined) return;
      if (typeof target.appendLine === 'function') return target.appendLine(seq, line);
      target.send({ type: 'batch', producer: '', firstSeq: seq, lines: [line] });
    },
    onFrame(callback) {
      receiver = callback;
      target?.onFrame(callback);
    },
    onClose(callback) {
      onClose = callback;
      target?.onClose(callback);
    },
    close() {
      if (target !== undefined || adoptIfAccepted()) return target?.close();
      closeRequested = true;
      tee((ring) => ring.close());
    },
    takeLines() {
      if (target === undefined && provisional !== undefined && !provisional.abandon()) {
        adoptIfAccepted();
        return [];
      }
      const lines: string[] = [];
      const frames: Kept[] = [];
      for (const item of kept) {
        if (item.type === 'line') lines.push(item.line);
        else frames.push(item);
      }
      kept = frames;
      keptChars = 0;
      return lines;
    },
    connect(endpoint) {
      if (target !== undefined) throw new Error('this endpoint is already connected');
      // An acceptor that took the provisional ring came first: the thread stays on that ring.
      if (provisional !== undefined) {
        if (!provisional.abandon()) {
          adoptIfAccepted();
          return;
        }
        provisional.endpoint.close();
      }
      attach(endpoint);
      const replay = kept;
      kept = [];
      keptChars = 0;
      try {
        for (const item of replay) {
          // The hello was made before the channel existed: it now says what the channel really is.
          if (item.type === 'hello') endpoint.send({ ...item, durable: endpoint.durable === true });
          else if (item.type !== 'line') endpoint.send(item);
          else if (typeof endpoint.appendLine === 'function') endpoint.appendLine(item.seq, item.line);
          else endpoint.send({ type: 'batch', producer: '', firstSeq: item.seq, lines: [item.line] });
        }
      } catch {
        onClose?.();
      }
      if (closeRequested) endpoint.close();
    },
  };
}
