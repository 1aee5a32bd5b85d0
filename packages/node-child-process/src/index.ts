/** @tributary/node-child-process: forked producers log over a pipe to one listener in the parent. */
export { forkProducer } from './parent/fork.ts';
export type { ForkProducerOptions } from './parent/fork.ts';
export { attachChildProcess, channelClosed } from './parent/attach.ts';
export type { AttachChildOptions, ChannelAcceptor, ConnectedChild } from './parent/attach.ts';
export { connectToParent, disconnectFromParent, parentConnectionStats } from './child/connect.ts';
export type { ConnectToParentOptions } from './child/connect.ts';
export { CHANNEL_FD_VARIABLE, DELIVERY_VARIABLE, PRODUCER_VARIABLE } from './internal/environment.ts';
export type { DeliveryMode } from '@tributary/core/adapter';
export type { ProducerExit, ProducerExitReason } from '@tributary/core/adapter';
