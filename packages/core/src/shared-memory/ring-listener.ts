import type { ChannelCloseInfo, ListenerEndpoint } from '../channel/types.ts';
import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';
import { nextTask } from './host-text.ts';
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

/**
 * The listener's end of a ring made by `createRingBuffer()`: reads it whenever the producer wakes it
 * (`Atomics.waitAsync`), and turns what it reads into the protocol's frames for the listener. The
 * listener's answers travel back in the ring's header (flush confirmations, "closed"), so the
 * channel needs nothing else from the runtime; an adapter only reports the producer's exit with
 * {@link RingListenerEndpoint.producerGone}.
 */
export function createRingListenerEndpoint(ring: SharedArrayBuffer): RingListenerEndpoint {
  const reader = new RingReader(ring);
  let receiver: ((frame: ProducerFrame) => void) | undefined;
  let onClose: ((info: ChannelCloseInfo) => void) | undefined;
  let closed = false;
  let producer = '';
  let nextSeq = 1;
  let pumping = false;

  const deliver = (frame: ProducerFrame): void => {
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
      deliver({ type: 'invalid control line' } as unknown as ProducerFrame);
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
    deliver(frame as unknown as ProducerFrame);
  };

  const drain = (): boolean => {
    if (closed) return false;
    let found = false;
    for (;;) {
      const lines = reader.readLines();
      if (lines.length === 0) return found;
      found = true;
      let run: string[] = [];
      let firstSeq = nextSeq;
      for (const line of lines) {
        if (line.length === 0 || line.charCodeAt(line.length - 1) === 0x18) continue; // empty, or abandoned half-way
        if (line.charCodeAt(0) === 0x01) {
          if (run.length > 0) deliver({ type: 'batch', producer, firstSeq, lines: run });
          run = [];
          control(line.slice(1));
          continue;
        }
        if (run.length === 0) firstSeq = nextSeq;
        run.push(line);
        nextSeq += 1;
      }
      if (run.length > 0) deliver({ type: 'batch', producer, firstSeq, lines: run });
    }
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
      // Busy (something came lately): look again within milliseconds, without per-record
      // wake-ups. Idle: sleep until the producer writes.
      let busy = true;
      while (!closed) {
        const found = drain();
        if (reader.producerClosed && reader.empty) return end('producer closed');
        busy = found;
        const wait = reader.waitForData(busy);
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
