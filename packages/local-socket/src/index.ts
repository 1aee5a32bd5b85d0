/**
 * @tributary/local-socket: processes the application did not fork (node:cluster workers, pm2
 * instances, separate Node, Deno and Bun programs) log to one collector over a local socket.
 */
export { listenLocal } from './collector/listen.ts';
export type { ListenLocalOptions, LocalAddress, LocalCollector } from './collector/listen.ts';
export { closeLocalLogger, localLogger, localLoggerStats } from './producer/local-logger.ts';
export type { LocalLoggerOptions } from './producer/local-logger.ts';
export type { LocalFallback } from './producer/fallback.ts';
export type { ReconnectStats } from './producer/reconnecting-endpoint.ts';
export type { LocalAddressOptions } from './target.ts';
export { defaultLocalProducerId } from './producer/producer-id.ts';
