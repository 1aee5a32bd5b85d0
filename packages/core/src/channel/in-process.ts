import type { ListenerFrame, ProducerFrame } from '../protocol/frames.ts';
import type { ChannelCloseInfo, ListenerEndpoint, ProducerEndpoint } from './types.ts';

/** Both ends of a channel within one thread. */
export interface InProcessChannel {
  readonly producer: ProducerEndpoint;
  readonly listener: ListenerEndpoint;
}

/**
 * A channel within one thread: frames are delivered synchronously, by a direct call, in order. Used
 * by the main thread's own loggers so they go through the same queue as any worker.
 */
export function createInProcessChannel(): InProcessChannel {
  let toListener: ((frame: ProducerFrame) => void) | undefined;
  let toProducer: ((frame: ListenerFrame) => void) | undefined;
  let onListenerClose: ((info: ChannelCloseInfo) => void) | undefined;
  let onProducerClose: (() => void) | undefined;
  let closed = false;
  const close = (info: ChannelCloseInfo): void => {
    if (closed) return;
    closed = true;
    onListenerClose?.(info);
    onProducerClose?.();
  };
  return {
    producer: {
      send(frame) {
        if (closed) throw new Error('in-process channel is closed');
        toListener?.(frame);
      },
      onFrame(receiver) {
        toProducer = receiver;
      },
      onClose(callback) {
        onProducerClose = callback;
      },
      close() {
        close({ reason: 'producer closed' });
      },
    },
    listener: {
      send(frame) {
        if (!closed) toProducer?.(frame);
      },
      onFrame(receiver) {
        toListener = receiver;
      },
      onClose(callback) {
        onListenerClose = callback;
      },
      close() {
        close({ reason: 'listener closed' });
      },
    },
  };
}
