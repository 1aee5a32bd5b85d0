import type { ChannelCloseInfo, ListenerEndpoint } from '../channel/types.ts';
import type { ListenerFrame, ReceivedFrame } from '../protocol/frames.ts';
import { LineBlock } from '../protocol/line-block.ts';
import { newTextDecoder, nextTask } from '../internal/host.ts';
import { RingReader } from './ring-reader.ts';

/** The listener's end of a shared-memory ring, with what an adapter needs to drive it. */
export interface RingListenerEndpoint extends ListenerEndpoint {
  /** The shared memory, to hand to the producer. */
  readonly ring: SharedArrayBuffer;
  /**
   * Tells the endpoint that the producer is gone (its thread or process exited, was terminated or
   * crashed): it reads everything the producer had published and ends the channel with the
   * producer's last claimed sequence number, so the listener reports exactly what was lost.
   */
  producerGone(reason: string): void;
  /** Reads and delivers everything published so far, synchronously. */
  drain(): void;
}

const NEWLINE = 10;
/** First byte of a control line. */
const CONTROL = 0x01;
/** Last byte of a record the producer abandoned. */
const CANCELLED = 0x18;
const decoder = newTextDecoder();

/**
 * The listener's end of a ring made by `createRingBuffer()`: reads it whenever the producer wakes it
 * (`Atomics.waitAsync`), and turns what it reads into the protocol's frames for the listener. The
 * listener's answers travel back in the ring's header (flush confirmations, "closed"), so the
 * channel needs nothing else from the runtime; an adapter only reports the producer's exit with
 * {@link RingListenerEndpoint.producerGone}.
 */
export function createRingListenerEndpoint(ring: SharedArrayBuffer): RingListenerEndpoint {
  const reader = new RingReader(ring);
  let receiver: ((frame: ReceivedFrame) => void) | undefined;
  let onClose: ((info: ChannelCloseInfo) => void) | undefined;
  let closed = false;
  let producer = '';
  let nextSeq = 1;
  let pumping = false;

  const deliver = (frame: ReceivedFrame): void => {
    try {
      receiver?.(frame);
    } catch {
      // the session guards itself; a receiver that throws must not stop the reading
    }
  };

  const control = (text: string): void => {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(text) as Record<string, unknown>;
    } catch {
      deliver({ type: 'invalid control line' } as unknown as ReceivedFrame);
      return;
    }
    if (frame['type'] === 'seq') {
      if (typeof frame['next'] === 'number') nextSeq = frame['next'];
      return;
    }
    if (frame['type'] === 'hello') {
      producer = String(frame['producer']);
      nextSeq = (typeof frame['lastSeq'] === 'number' ? frame['lastSeq'] : 0) + 1;
    }
    deliver(frame as unknown as ReceivedFrame);
  };

  /** Reads and delivers everything published so far; returns how many bytes that was. */
  const drain = (): number => {
    if (closed) return 0;
    let read = 0;
    for (;;) {
      const bytes = reader.readBlock();
      if (bytes === undefined) return read;
      read += bytes.length;
      deliverLines(bytes);
    }
  };

  /**
   * Hands over the records of one block of lines as block frames (each a run of adjacent record
   * lines), and acts on its control lines.
   */
  const deliverLines = (bytes: Uint8Array): void => {
    let block = new LineBlock(bytes, 0);
    let firstSeq = nextSeq;
    let start = 0;
    while (start < bytes.length) {
      const end = bytes.indexOf(NEWLINE, start);
      if (end < 0) break; // (never: a block ends with a newline)
      const whole = end > start && bytes[end - 1] !== CANCELLED;
      if (whole && bytes[start] !== CONTROL) {
        if (block.length === 0) firstSeq = nextSeq;
        block.add(end);
        nextSeq += 1;
      } else {
        // A control line, or an empty or abandoned one (not a record): the run of records ends here.
        if (block.length > 0) deliver({ type: 'block', producer, firstSeq, block });
        block = new LineBlock(bytes, end + 1, block);
        if (whole) control(decoder.decode(bytes.subarray(start + 1, end)));
      }
      start = end + 1;
    }
    if (block.length > 0) deliver({ type: 'block', producer, firstSeq, block });
  };

  const end = (reason: string): void => {
    if (closed) return;
    drain();
    closed = true;
    const lastSeqKnown = reader.lastSeq;
    reader.close();
    onClose?.({ reason, lastSeqKnown });
  };

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    try {
      // Flooded (a good part of the ring came at once): look again as soon as other tasks had
      // their turn. Busy (something came): look again within milliseconds, without per-record
      // wake-ups. Idle: sleep until the producer writes.
      const flooded = reader.capacity >>> 3;
      while (!closed) {
        const read = drain();
        if (reader.producerClosed && reader.empty) return end('producer closed');
        const wait = read >= flooded ? undefined : reader.waitForData(read > 0);
        await (wait ?? nextTask());
      }
    } finally {
      pumping = false;
    }
  };

  return {
    ring,
    send(frame: ListenerFrame): void {
      if (closed) return;
      if (frame.type === 'flushed') reader.answerFlush(frame.id, frame.complete);
      // `ack` needs no answer: the ring's tail already freed the room; `refused` is followed by close().
    },
    onFrame(callback) {
      receiver = callback;
      void pump();
    },
    onClose(callback) {
      onClose = callback;
    },
    close() {
      if (closed) return;
      closed = true;
      reader.close();
      onClose?.({ reason: 'listener closed' });
    },
    drain() {
      drain();
    },
    producerGone(reason: string) {
      end(reason);
    },
  };
}
