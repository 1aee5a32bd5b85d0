/**
 * The environment variables through which a parent tells a child where its channel is. Set by
 * `forkProducer`; set them yourself when you spawn a child and attach it with `attachChildProcess`.
 */

/**
 * The child's file descriptor of the records pipe (its index in the parent's `stdio` array); the
 * listener's answers come on the next descriptor (`fd + 1`). Two one-way pipes, not one two-way pipe:
 * a child that dies with answers unread must not make the parent lose the records it wrote last.
 */
export const CHANNEL_FD_VARIABLE = 'TRIBUTARY_CHANNEL_FD';
/** The producer id the parent gave the child. */
export const PRODUCER_VARIABLE = 'TRIBUTARY_PRODUCER';
/** `batched` or `sync`: the delivery mode the parent asks for (the child's own option wins). */
export const DELIVERY_VARIABLE = 'TRIBUTARY_DELIVERY';
