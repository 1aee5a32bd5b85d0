import { Buffer } from 'node:buffer';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decodeLogsRequest, toTributaryLine } from './decode.ts';
import type { ReceivedLogRecord } from './decode.ts';

/** How the receiver answers one export request. */
export interface ReceiverAnswer {
  /** The HTTP status. Default: 200. */
  readonly status?: number;
  /** Wait before answering, in milliseconds. Default: 0. */
  readonly delayMs?: number;
  /** A `Retry-After` header (seconds or an HTTP date). Default: none. */
  readonly retryAfter?: string;
  /** For a 2xx: this many of the request's last records are rejected (not kept), as a partial success. Default: 0. */
  readonly rejectedLogRecords?: number;
  /** The message of an error answer or of a partial success. Default: none. */
  readonly errorMessage?: string;
}

/** One export request as the receiver saw it, before answering. */
export interface ExportRequestInfo {
  /** 1 for the first request this receiver got. */
  readonly index: number;
  /** Log records in it (0 when it did not decode). */
  readonly records: number;
  /** Bytes of its body as sent (compressed when `compressed`). */
  readonly bytes: number;
  /** Whether it came with `Content-Encoding: gzip`. */
  readonly compressed: boolean;
  /** Its headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
}

/** A request and the status it was answered with. */
export interface AnsweredRequest extends ExportRequestInfo {
  readonly status: number;
}

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /** Address to listen on. Default: `'127.0.0.1'`. */
  readonly host?: string;
  /** Port; 0 picks a free one (see `receiver.port`). Default: 0. */
  readonly port?: number;
  /** Decides the answer to each request that decoded. Default: 200 for every request. */
  readonly respond?: (request: ExportRequestInfo) => ReceiverAnswer | undefined;
  /** Called for every record accepted. Default: none. */
  readonly onRecord?: (record: ReceivedLogRecord) => void;
  /** Keep every accepted record in memory for `records()` and `lines()`. Default: true. */
  readonly keep?: boolean;
}

/** A running receiver. */
export interface Receiver {
  /** The port it listens on. */
  readonly port: number;
  /** Its logs endpoint, `http://127.0.0.1:<port>/v1/logs`. */
  readonly url: string;
  /** Records accepted (answered 2xx and not rejected). */
  readonly accepted: number;
  /** Records rejected in partial successes. */
  readonly rejected: number;
  /** Every request so far with its status, in order of arrival. */
  readonly requests: readonly AnsweredRequest[];
  /** The accepted records, when `keep` is on. */
  records(): readonly ReceivedLogRecord[];
  /** The accepted records as the Tributary JSON lines they came from (see `toTributaryLine`). */
  lines(): string[];
  /** Stops listening and drops connections, answered or not. Idempotent. */
  close(): Promise<void>;
}

/**
 * An in-process OTLP/HTTP collector for tests and demos: listens on 127.0.0.1, takes `POST /v1/logs`
 * with JSON (gzip or not), and answers as `respond` says — any status, a delay, `Retry-After`, a
 * partial success — keeping what it accepted. Runs on Node, Deno and Bun (node:http).
 */
export async function createReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const kept: ReceivedLogRecord[] = [];
  const requests: AnsweredRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const keep = options.keep ?? true;
  let accepted = 0;
  let rejected = 0;
  let closing: Promise<void> | undefined;

  const finish = (response: ServerResponse, status: number, body: object, retryAfter?: string): void => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (retryAfter !== undefined) headers['retry-after'] = retryAfter;
    response.writeHead(status, headers).end(JSON.stringify(body));
  };

  const handle = (request: IncomingMessage, response: ServerResponse, body: Buffer): void => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : String(value ?? '');
    const compressed = headers['content-encoding'] === 'gzip';
    const info = { index: requests.length + 1, bytes: body.length, compressed, headers };
    if (request.method !== 'POST' || request.url !== '/v1/logs') {
      requests.push({ ...info, records: 0, status: 404 });
      return finish(response, 404, { code: 5, message: `no ${request.method} ${request.url} here: POST /v1/logs` });
    }
    if (!(headers['content-type'] ?? '').startsWith('application/json')) {
      requests.push({ ...info, records: 0, status: 415 });
      return finish(response, 415, { code: 3, message: 'this receiver takes application/json only' });
    }
    let records: ReceivedLogRecord[];
    try {
      records = decodeLogsRequest((compressed ? gunzipSync(body) : body).toString('utf8'));
    } catch (error) {
      requests.push({ ...info, records: 0, status: 400 });
      return finish(response, 400, { code: 3, message: `the request did not decode: ${error instanceof Error ? error.message : String(error)}` });
    }
    const answer = options.respond?.({ ...info, records: records.length }) ?? {};
    const status = answer.status ?? 200;
    requests.push({ ...info, records: records.length, status });
    const reply = (): void => {
      if (closing !== undefined) return;
      if (status < 200 || status > 299)
        return finish(response, status, { code: 14, message: answer.errorMessage ?? `answered ${status} as asked` }, answer.retryAfter);
      const refused = Math.min(records.length, Math.max(0, answer.rejectedLogRecords ?? 0));
      const taken = records.slice(0, records.length - refused);
      accepted += taken.length;
      rejected += refused;
      for (const record of taken) {
        if (keep) kept.push(record);
        options.onRecord?.(record);
      }
      const partial = refused > 0 || answer.errorMessage !== undefined;
      finish(response, status, partial ? { partialSuccess: { rejectedLogRecords: String(refused), errorMessage: answer.errorMessage ?? '' } } : {});
    };
    if ((answer.delayMs ?? 0) <= 0) return reply();
    const timer = setTimeout(() => {
      timers.delete(timer);
      reply();
    }, answer.delayMs);
    timers.add(timer);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks)));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    url: `http://${address.address}:${address.port}/v1/logs`,
    get accepted() {
      return accepted;
    },
    get rejected() {
      return rejected;
    },
    requests,
    records: () => kept,
    lines: () => kept.map(toTributaryLine),
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
