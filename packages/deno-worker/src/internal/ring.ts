/**
 * The parent's end of a worker's shared-memory ring (from @tributary/core), with one addition for
 * Deno: a hook called when the worker's hello arrives, which is when the worker holds its liveness
 * lock and the parent may start watching it.
 */
import { createRingBuffer, createRingListenerEndpoint } from '@tributary/core';
import type { ProducerFrame, RingListenerEndpoint } from '@tributary/core';

/** A ring for one worker and the listener's end of it. */
export interface ListenerRing {
  readonly buffer: SharedArrayBuffer;
  readonly endpoint: RingListenerEndpoint;
}

/** Makes a ring of `ringBytes` (default 1 MiB) whose endpoint calls `onHello` on the worker's hello. */
export function openListenerRing(ringBytes: number | undefined, onHello: () => void): ListenerRing {
  const buffer = ringBytes === undefined ? createRingBuffer() : createRingBuffer(ringBytes);
  const inner = createRingListenerEndpoint(buffer);
  let greeted = false;
  const endpoint: RingListenerEndpoint = {
    ring: inner.ring,
    send: (frame) => inner.send(frame),
    onFrame(receiver) {
      inner.onFrame((frame: ProducerFrame) => {
        if (!greeted && frame.type === 'hello') {
          greeted = true;
          onHello();
        }
        receiver(frame);
      });
    },
    onClose: (callback) => inner.onClose(callback),
    close: () => inner.close(),
    drain: () => inner.drain(),
    producerGone: (reason) => inner.producerGone(reason),
  };
  return { buffer, endpoint };
}
