import { isContextConfigured, withContext } from '@tributary/core';
import type { Fields, LevelName, Logger } from '@tributary/core';
import { booleanOption, functionOption, objectOption, stringOption } from '@tributary/core/sink';
import type { Context, MiddlewareHandler } from 'hono';
import { levelForStatus } from './level-for-status.ts';
import { randomRequestId, requestIdFrom } from './request-id.ts';

/** What the middleware puts in `c.var`: the request's logger and its id. */
export interface TributaryVariables {
  /** A child of the configured logger for this request. */
  readonly logger: Logger;
  /** The request's id: from the request header, or generated. */
  readonly requestId: string;
}

/** The Hono environment of an app using the middleware: `new Hono<TributaryEnv>()`. */
export interface TributaryEnv {
  Variables: TributaryVariables;
}

/** Options of {@link tributaryLogger}. */
export interface TributaryLoggerOptions {
  /** The logger each request gets a child of (e.g. `listener.logger({ name: 'http' })`). Required. */
  readonly logger: Logger;
  /**
   * The request header holding an id given by a proxy or the client; `false` always generates one.
   * A value longer than 128 characters or with characters outside printable ASCII is not used (a
   * new id is generated). Default: `'x-request-id'`.
   */
  readonly requestIdHeader?: string | false;
  /** The response header that tells the client the id; `false` sets none. Default: the request header's name, else `'x-request-id'`. */
  readonly responseIdHeader?: string | false;
  /** Makes a request id when none is given. Default: `crypto.randomUUID()`. */
  readonly generateRequestId?: () => string;
  /**
   * Runs the rest of the request inside `withContext({ requestId, method, path })`, so every
   * logger's records during the request carry them (needs `configureContext` from
   * `@tributary/core` first: the middleware refuses to start without it). With `false`, only the
   * request's logger carries them, as bound fields. Default: true.
   */
  readonly bindContext?: boolean;
  /** The level of the completion record. Default: 5xx `error`, 4xx `warn`, else `info`. */
  readonly levelForStatus?: (status: number) => LevelName;
  /** The completion record's message. Default: `'request completed'`. */
  readonly message?: string;
}

const WHERE = 'tributaryLogger';

/**
 * Hono middleware: gives each request a child logger in `c.var.logger` (with `requestId`, `method`
 * and `path`), its id in `c.var.requestId`, binds them as context for the request, and logs one
 * completion record per request — `status`, `durationMs`, `bytes` (when the response says its
 * length) — at a level chosen by the status. A handler's error is logged with the record (`err`)
 * and left to Hono's error handling (`app.onError`), or rethrown when Hono passes it on. Throws a
 * clear error at once on bad options.
 */
export function tributaryLogger(options: TributaryLoggerOptions): MiddlewareHandler<TributaryEnv> {
  const resolved = objectOption<TributaryLoggerOptions, undefined>(WHERE, 'options', options, undefined);
  if (resolved === undefined || !isLogger(resolved.logger))
    throw new TypeError(`${WHERE}: logger must be a Tributary Logger; got ${resolved === undefined ? 'no options' : 'something else'}`);
  const base = resolved.logger;
  const requestHeader = resolved.requestIdHeader === false ? false : stringOption(WHERE, 'requestIdHeader', resolved.requestIdHeader, 'x-request-id');
  const responseHeader =
    resolved.responseIdHeader === false
      ? false
      : stringOption(WHERE, 'responseIdHeader', resolved.responseIdHeader, requestHeader === false ? 'x-request-id' : requestHeader);
  const generate = functionOption<() => string, () => string>(WHERE, 'generateRequestId', resolved.generateRequestId, randomRequestId);
  const bindContext = booleanOption(WHERE, 'bindContext', resolved.bindContext, true);
  const levelFor = functionOption<(status: number) => LevelName, (status: number) => LevelName>(
    WHERE,
    'levelForStatus',
    resolved.levelForStatus,
    levelForStatus,
  );
  const message = stringOption(WHERE, 'message', resolved.message, 'request completed');
  if (bindContext && !isContextConfigured()) {
    throw new Error(
      `${WHERE}: bindContext needs a context storage: call configureContext({ storage: new AsyncLocalStorage() }) from @tributary/core (AsyncLocalStorage from 'node:async_hooks') first, or pass bindContext: false`,
    );
  }

  return async (c, next) => {
    const started = performance.now();
    const requestId = requestIdFrom(requestHeader === false ? undefined : c.req.header(requestHeader), generate);
    const fields: Fields = { requestId, method: c.req.method, path: c.req.path };
    // With context bound, the fields come from the context: written once per record, not twice.
    const logger = bindContext ? base.child({}) : base.child({ fields });
    c.set('logger', logger);
    c.set('requestId', requestId);
    if (responseHeader !== false) c.header(responseHeader, requestId);
    const run = async (): Promise<void> => {
      let thrown: { error: unknown } | undefined;
      try {
        await next();
      } catch (error) {
        thrown = { error };
      }
      // Hono's compose hands an Error to app.onError before next() returns: it is in c.error.
      const error = thrown !== undefined ? thrown.error : c.error;
      const status = thrown !== undefined ? 500 : c.res.status;
      const completion: Record<string, unknown> = { status, durationMs: roundedMs(performance.now() - started) };
      const bytes = thrown !== undefined ? undefined : responseBytes(c);
      if (bytes !== undefined) completion['bytes'] = bytes;
      if (error !== undefined) completion['err'] = error;
      logger.log(chooseLevel(levelFor, status), message, completion);
      if (thrown !== undefined) throw thrown.error;
    };
    await (bindContext ? withContext(fields, run) : run());
  };
}

/** The configured level for a status; the default's when the function throws (a request never fails for its record). */
function chooseLevel(levelFor: (status: number) => LevelName, status: number): LevelName {
  try {
    return levelFor(status);
  } catch {
    return levelForStatus(status);
  }
}

function isLogger(value: unknown): value is Logger {
  return value !== null && typeof value === 'object' && typeof (value as Logger).child === 'function' && typeof (value as Logger).log === 'function';
}

/** The body's length from `Content-Length`, 0 for a response without a body, else undefined. */
function responseBytes(c: Context): number | undefined {
  const header = c.res.headers.get('content-length');
  if (header !== null) {
    const bytes = Number(header);
    return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : undefined;
  }
  return c.res.body === null ? 0 : undefined;
}

/** Milliseconds with three decimals (microseconds), enough to tell requests apart. */
function roundedMs(milliseconds: number): number {
  return Math.round(milliseconds * 1_000) / 1_000;
}
