import { openBroadcastChannel } from '../internal/host-broadcast.ts';
import { ACCEPT_CHANNEL, ACCEPT_MARK, isAcceptMessage } from './accept-messages.ts';
import type { AcceptIdentity } from './accept-messages.ts';
import type { ProvisionalRing } from './provisional-ring.ts';

/**
 * The thread's side of `acceptWorkers()`: offers `ring` (the thread's own, already holding what it
 * logged) to every acceptor of the process, now and again each time an acceptor starts, until one
 * takes it or the thread gets its channel another way. `identity` says how an acceptor can see the
 * thread end. The channel keeps no thread alive where the runtime can unref it (Node, Bun). Never
 * throws: where `BroadcastChannel` is missing the thread waits for another way.
 */
export function announceToAcceptors(identity: AcceptIdentity, ring: ProvisionalRing): void {
  const request = { mark: ACCEPT_MARK, kind: 'request', identity, buffer: ring.buffer, claim: ring.claim } as const;
  const channel = openBroadcastChannel(ACCEPT_CHANNEL, (message) => {
    if (isAcceptMessage(message) && message.kind === 'present' && !ring.accepted()) channel?.post(request);
  });
  channel?.post(request);
  ring.whenAccepted(() => channel?.close());
}
