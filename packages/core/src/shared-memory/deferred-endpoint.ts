import type { ProducerEndpoint } from '../channel/types.ts';
import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';

/** A producer endpoint usable before its channel exists: see {@link createDeferredProducerEndpoint}. */
export interface DeferredProducerEndpoint extends ProducerEndpoint {
  /** True once {@link connect} was called. */
  readonly connected: boolean;
  /** Records dropped while waiting because the buffer was full (the listener sees the gap). */
  readonly droppedWhileWaiting: number;
  /** Plugs in the real endpoint: replays what was kept, in order, then passes everything through. */
  connect(target: ProducerEndpoint): void;
  appendLine(seq: number, line: string): void;
  /** The record lines kept so far, in order, taken out of the buffer (frames are left). */
  takeLines(): string[];
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
 * ({@link DeferredProducerEndpoint.takeLines}); one killed unconnected loses them.
 */
export function createDeferredProducerEndpoint(maxBufferedChars: number = 4 * 1024 * 1024): DeferredProducerEndpoint {
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

  return {
    get durable() {
      return target?.durable === true;
    },
    get connected() {
      return target !== undefined;
    },
    get droppedWhileWaiting() {
      return dropped;
    },
    send(frame) {
      if (target !== undefined) return target.send(frame);
      if (closeRequested) throw new Error('channel is closed');
      if (frame.type === 'batch') {
        frame.lines.forEach((line, index) => keepLine(frame.firstSeq + index, line));
        receiver?.({ type: 'ack', seq: frame.firstSeq + frame.lines.length - 1 });
      } else {
        kept.push(frame);
      }
    },
    appendLine(seq, line) {
      if (target === undefined) {
        if (closeRequested) throw new Error('channel is closed');
        return keepLine(seq, line);
      }
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
      if (target !== undefined) return target.close();
      closeRequested = true;
    },
    takeLines() {
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
      target = endpoint;
      endpoint.onFrame((frame) => receiver?.(frame));
      endpoint.onClose(() => onClose?.());
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
