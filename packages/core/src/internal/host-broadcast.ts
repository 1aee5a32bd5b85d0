// Part of the host module: the process-wide BroadcastChannel, where the runtime has one.
import { startTimer } from './host.ts';

/** A `BroadcastChannel` as {@link openBroadcastChannel} hands it out. */
export interface HostBroadcastChannel {
  /** Posts to every other channel of that name in the process; never throws (a closed channel drops it). */
  post(message: unknown): void;
  /** Closes the channel; idempotent. */
  close(): void;
}

interface BroadcastChannelLike {
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
  unref?(): void;
}

/**
 * Opens a `BroadcastChannel` (shared by every thread of the process on Node, Deno and Bun) that calls
 * `receive` with each message's data and keeps no thread alive where the runtime allows (Node and
 * Bun unref it; a Deno worker lives until it is closed anyway). `undefined` where there is none.
 */
export function openBroadcastChannel(name: string, receive: (data: unknown) => void): HostBroadcastChannel | undefined {
  const Channel = (globalThis as unknown as { BroadcastChannel?: new (name: string) => BroadcastChannelLike }).BroadcastChannel;
  if (typeof Channel !== 'function') return undefined;
  let channel: BroadcastChannelLike;
  try {
    channel = new Channel(name);
    channel.onmessage = (event) => receive(event.data);
    // After onmessage, which refs the channel on Node.
    channel.unref?.();
  } catch {
    return undefined;
  }
  let closed = false;
  return {
    post(message) {
      if (closed) return;
      try {
        channel.postMessage(message);
      } catch {
        // a message that cannot be cloned, or a thread going away
      }
    },
    close() {
      if (closed) return;
      closed = true;
      channel.onmessage = null;
      // Closed a task later: on Deno 2.9, a channel of the same name opened in the same task right
      // after another one that had been listening was closed never hears anything (a new
      // acceptWorkers() right after close(), say). One opened before the close keeps hearing.
      startTimer(() => {
        try {
          channel.close();
        } catch {
          // already closed
        }
      }, 0);
    },
  };
}
