import { integerOption, objectOption, oneOfOption, readEnvironment, resolveSpoolOptions, runtime, stringOption } from '@tributary/core/sink';
import type { ResolvedSpoolOptions, SpoolOptions } from '@tributary/core/sink';
import { toAnyValue } from './encoding/any-value.ts';
import type { KeyValue } from './encoding/any-value.ts';
import { parseKeyValueList } from './internal/env-list.ts';

/** Retries of a request the collector could not take now (429, 502, 503, 504, or no answer). */
export interface OtlpRetryOptions {
  /** Wait before the first retry when the answer has no `Retry-After`, in milliseconds; doubled each time, with jitter. Default: 500. */
  readonly initialDelayMs?: number;
  /** Longest wait between retries without `Retry-After`, in milliseconds. Default: 30,000. */
  readonly maxDelayMs?: number;
  /**
   * How long one request is retried, from its first attempt, in milliseconds; when the next try
   * (or the collector's `Retry-After`) would start later, its records are dropped and reported.
   * Default: 60,000.
   */
  readonly maxElapsedMs?: number;
}

/** Options of {@link otlpSink}. */
export interface OtlpSinkOptions {
  /**
   * The logs endpoint, the full URL (`http://collector:4318/v1/logs`); credentials in it
   * (`https://user:password@…`) are sent as a Basic `authorization` header instead. Default:
   * `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT`, else `OTEL_EXPORTER_OTLP_ENDPOINT` with `/v1/logs` appended,
   * else `http://localhost:4318/v1/logs`.
   */
  readonly endpoint?: string;
  /**
   * Request headers (an API token, a tenant), over those of `OTEL_EXPORTER_OTLP_HEADERS` and
   * `OTEL_EXPORTER_OTLP_LOGS_HEADERS` (`key=value,key2=value2`, values percent-decoded). Their
   * values are never written in a report or an error. Default: the environment's, else none.
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Resource attributes (`service.name`, `deployment.environment`, …), over those of
   * `OTEL_RESOURCE_ATTRIBUTES`. `service.name` defaults to `OTEL_SERVICE_NAME`, else the one in
   * `OTEL_RESOURCE_ATTRIBUTES`, else `unknown_service:<runtime>` (e.g. `unknown_service:node`).
   * Default: those from the environment.
   */
  readonly resource?: Readonly<Record<string, unknown>>;
  /**
   * `'gzip'` compresses each request (`CompressionStream`, `Content-Encoding: gzip`) or `'none'`.
   * Default: `OTEL_EXPORTER_OTLP_LOGS_COMPRESSION` or `OTEL_EXPORTER_OTLP_COMPRESSION` when `gzip` or
   * `none`, else `'none'`.
   */
  readonly compression?: 'gzip' | 'none';
  /** Most records in one request. Default: 512. */
  readonly maxBatchRecords?: number;
  /**
   * Largest request body before compression, in bytes (a single record larger than it goes alone).
   * Keep it under the collector's limit (the OpenTelemetry Collector's default is 20 MiB).
   * Default: 1 MiB (1,048,576).
   */
  readonly maxBatchBytes?: number;
  /**
   * Records the sink holds (waiting, being sent or retried). While the collector answers, a write
   * waits for room; while it does not (a retry is pending), records beyond it are dropped and
   * reported. Default: 20,000.
   */
  readonly bufferRecords?: number;
  /** Bytes of encoded records the sink holds, with the same rule as `bufferRecords`. Default: 32 MiB. */
  readonly bufferBytes?: number;
  /** Longest wait for one request's answer, in milliseconds; then it counts as no answer (retried). Default: 10,000. */
  readonly requestTimeoutMs?: number;
  /** Retries. Default: see {@link OtlpRetryOptions}. */
  readonly retry?: OtlpRetryOptions;
  /**
   * Longest wait of `flush()` and `close()` for what the sink holds to be delivered, in
   * milliseconds; a `close()` right after a `flush()` that timed out, with nothing delivered since,
   * does not wait again (so `listener.stop()` takes at most this long for the sink). Default: 5,000.
   */
  readonly drainTimeoutMs?: number;
  /** The sink's name in reports. Default: `otlp:` and the endpoint without credentials or query. */
  readonly name?: string;
  /**
   * A disk spool (`{ dir, maxBytes, overflow, name }`) for the records the sink cannot deliver now:
   * what the buffer cannot hold during an outage, a request retried past `retry.maxElapsedMs`,
   * what is held at `close()` after `drainTimeoutMs` and at the process's exit or termination
   * signal go to JSON-lines files in `dir` instead of being dropped, and are sent first (oldest
   * first) once the collector answers, in this run or the next start with the same `dir` and name.
   * `maxBytes` defaults to 64 MiB, `overflow` to `'newest'` (see the README). Default: none
   * (those records are dropped and counted).
   */
  readonly spool?: SpoolOptions;
  /**
   * Where the `OTEL_*` variables are read. Default: the process environment (on Deno without
   * `--allow-env`, as if unset).
   */
  readonly env?: (name: string) => string | undefined;
}

/** The options with every default applied. */
export interface ResolvedOtlpSinkOptions {
  readonly name: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly resource: readonly KeyValue[];
  readonly compression: 'gzip' | 'none';
  readonly maxBatchRecords: number;
  readonly maxBatchBytes: number;
  readonly bufferRecords: number;
  readonly bufferBytes: number;
  readonly requestTimeoutMs: number;
  readonly retry: Required<OtlpRetryOptions>;
  readonly drainTimeoutMs: number;
  readonly spool: ResolvedSpoolOptions | undefined;
}

const WHERE = 'otlpSink';
const DEFAULT_ENDPOINT = 'http://localhost:4318/v1/logs';

/** Checks the options (clear errors at configuration time) and applies the defaults and the environment. */
export function resolveOtlpSinkOptions(options: OtlpSinkOptions): ResolvedOtlpSinkOptions {
  objectOption(WHERE, 'options', options ?? null, undefined);
  const env = options.env ?? readEnvironment;
  const url = endpointUrl(stringOption(WHERE, 'endpoint', options.endpoint, undefined), env);
  const retry = objectOption<OtlpRetryOptions, OtlpRetryOptions>(WHERE, 'retry', options.retry, {});
  const maxDelayMs = integerOption(WHERE, 'retry.maxDelayMs', retry.maxDelayMs, { min: 1, default: 30_000 });
  const headers = resolveHeaders(options.headers, env);
  if (url.username !== '' || url.password !== '') {
    // fetch refuses URLs with credentials: they travel as Basic authorization, unless a header says otherwise
    headers.authorization ??= `Basic ${basicCredentials(decodeURIComponent(url.username), decodeURIComponent(url.password))}`;
    url.username = '';
    url.password = '';
  }
  const name = stringOption(WHERE, 'name', options.name, `otlp:${url.origin}${url.pathname}`);
  return {
    name,
    url: url.href,
    headers,
    resource: resolveResource(options.resource, env),
    compression: oneOfOption(WHERE, 'compression', options.compression, ['gzip', 'none'], envCompression(env)),
    maxBatchRecords: integerOption(WHERE, 'maxBatchRecords', options.maxBatchRecords, { min: 1, default: 512 }),
    maxBatchBytes: integerOption(WHERE, 'maxBatchBytes', options.maxBatchBytes, { min: 1024, default: 1024 * 1024 }),
    bufferRecords: integerOption(WHERE, 'bufferRecords', options.bufferRecords, { min: 1, default: 20_000 }),
    bufferBytes: integerOption(WHERE, 'bufferBytes', options.bufferBytes, { min: 1024, default: 32 * 1024 * 1024 }),
    requestTimeoutMs: integerOption(WHERE, 'requestTimeoutMs', options.requestTimeoutMs, { min: 1, default: 10_000 }),
    retry: {
      initialDelayMs: integerOption(WHERE, 'retry.initialDelayMs', retry.initialDelayMs, { min: 1, max: maxDelayMs, default: Math.min(500, maxDelayMs) }),
      maxDelayMs,
      maxElapsedMs: integerOption(WHERE, 'retry.maxElapsedMs', retry.maxElapsedMs, { min: 0, default: 60_000 }),
    },
    drainTimeoutMs: integerOption(WHERE, 'drainTimeoutMs', options.drainTimeoutMs, { min: 0, default: 5_000 }),
    spool: resolveSpoolOptions(WHERE, options.spool, name),
  };
}

function endpointUrl(given: string | undefined, env: (name: string) => string | undefined): URL {
  const fromEnv = (): string => {
    const logs = env('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
    if (logs) return logs;
    const base = env('OTEL_EXPORTER_OTLP_ENDPOINT');
    return base ? `${base.replace(/\/+$/, '')}/v1/logs` : DEFAULT_ENDPOINT;
  };
  const text = given ?? fromEnv();
  const where = given === undefined ? 'the OTEL_EXPORTER_OTLP_(LOGS_)ENDPOINT variable' : 'endpoint';
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    // the text may carry credentials: show only that it is not an http(s) URL
    throw new TypeError(`${WHERE}: ${where} must be an http or https URL; got ${url === undefined ? 'text that is not a URL' : `a ${url.protocol} URL`}`);
  }
  return url;
}

function resolveHeaders(given: OtlpSinkOptions['headers'], env: (name: string) => string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const variable of ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']) {
    for (const [key, value] of parseKeyValueList(env(variable) ?? '')) headers[key.toLowerCase()] = value;
  }
  const own = objectOption<Readonly<Record<string, unknown>>, undefined>(WHERE, 'headers', given, undefined) ?? {};
  for (const key of Object.keys(own)) {
    const value = own[key];
    // the value is a secret: the message names its type only
    if (typeof value !== 'string') throw new TypeError(`${WHERE}: headers.${key} must be a string; got a ${value === null ? 'null' : typeof value}`);
    headers[key.toLowerCase()] = value;
  }
  return headers;
}

function resolveResource(given: OtlpSinkOptions['resource'], env: (name: string) => string | undefined): readonly KeyValue[] {
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of parseKeyValueList(env('OTEL_RESOURCE_ATTRIBUTES') ?? '')) attributes[key] = value;
  const serviceName = env('OTEL_SERVICE_NAME');
  if (serviceName) attributes['service.name'] = serviceName;
  Object.assign(attributes, objectOption<Readonly<Record<string, unknown>>, undefined>(WHERE, 'resource', given, undefined) ?? {});
  attributes['service.name'] ??= `unknown_service:${runtime}`;
  const { 'service.name': service, ...others } = attributes;
  return [{ key: 'service.name', value: toAnyValue(service) }, ...Object.keys(others).map((key) => ({ key, value: toAnyValue(others[key]) }))];
}

function envCompression(env: (name: string) => string | undefined): 'gzip' | 'none' {
  const value = (env('OTEL_EXPORTER_OTLP_LOGS_COMPRESSION') || env('OTEL_EXPORTER_OTLP_COMPRESSION') || '').trim().toLowerCase();
  return value === 'gzip' ? 'gzip' : 'none';
}

/** `user:password` in base64, the UTF-8 bytes of it. */
function basicCredentials(user: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${user}:${password}`)) binary += String.fromCharCode(byte);
  return btoa(binary);
}
