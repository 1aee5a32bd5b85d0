import type { ChannelCloseInfo, ListenerEndpoint } from '../channel/types.ts';
import type { ListenerFrame, ReceivedFrame } from '../protocol/frames.ts';
import type { RingListenerEndpoint } from '../shared-memory/ring-listener.ts';
import type { ProducerExit } from './connected-producer.ts';

/** A ring's listener end that closes only once its parent knows how the producer ended. */
export interface ExitAwareEndpoint extends ListenerEndpoint {
  /** The highest sequence number delivered to the listener so far; 0 before any record. */
  readonly lastSeq: number;
  /** The producer id the producer announced in its hello, once it did. */
  readonly announced: string | undefined;
  /** True once the producer closed its end itself (it said goodbye). */
  readonly saidGoodbye: boolean;
  /**
   * The producer is gone (`exit` says how): reads what it left in the ring and ends the channel,
   * telling the listener how it ended (the listener writes `tributary.producer_exited` from that).
   */
  producerGone(exit: Omit<ProducerExit, 'lastSeq'>, reason: string): void;
}

/**
 * Wraps a ring's listener end so that the channel's end carries the producer's exit: when the
 * producer closes its end itself (said goodbye), the close waits until {@link ExitAwareEndpoint.producerGone}
 * says how the thread ended (a worker that said goodbye and then crashed is still reported). It also
 * keeps the last sequence number delivered and the announced producer id, for `ProducerExit`.
 */
export function exitAwareEndpoint(ring: RingListenerEndpoint): ExitAwareEndpoint {
  let onClose: ((info: ChannelCloseInfo) => void) | undefined;
  let held: ChannelCloseInfo | undefined;
  let exit: Omit<ProducerExit, 'lastSeq'> | undefined;
  let finished = false;
  let lastSeq = 0;
  let announced: string | undefined;

  const finish = (info: ChannelCloseInfo): void => {
    if (finished) return;
    finished = true;
    onClose?.(exit === undefined ? info : { ...info, exit });
  };
  ring.onClose((info) => {
    // The producer closed the ring (its goodbye): wait for the parent to learn how the thread ended.
    if (exit === undefined && info.reason === 'producer closed') held = info;
    else finish(info);
  });
  const track = (frame: ReceivedFrame): void => {
    if (frame.type === 'block') lastSeq = Math.max(lastSeq, frame.firstSeq + frame.block.length - 1);
    else if (frame.type === 'batch') lastSeq = Math.max(lastSeq, frame.firstSeq + frame.lines.length - 1);
    else if (frame.type === 'hello') announced = frame.producer;
  };

  return {
    get lastSeq() {
      return lastSeq;
    },
    get announced() {
      return announced;
    },
    get saidGoodbye() {
      return held !== undefined;
    },
    send(frame: ListenerFrame) {
      ring.send(frame);
    },
    onFrame(receiver) {
      ring.onFrame((frame) => {
        track(frame);
        receiver(frame);
      });
    },
    onClose(callback) {
      onClose = callback;
    },
    close() {
      ring.close();
      if (held !== undefined) finish(held);
    },
    drain() {
      ring.drain();
    },
    producerGone(how, reason) {
      if (exit !== undefined) return;
      exit = how;
      if (held !== undefined) {
        ring.drain();
        finish({ ...held, reason });
      } else {
        ring.producerGone(reason);
      }
    },
  };
}
