/** @tributary/hono: a request-scoped Tributary logger, request context and one completion record per request, for Hono. */
export { tributaryLogger } from './middleware.ts';
export type { TributaryEnv, TributaryLoggerOptions, TributaryVariables } from './middleware.ts';
export { levelForStatus } from './level-for-status.ts';
export { MAX_REQUEST_ID_LENGTH } from './request-id.ts';
