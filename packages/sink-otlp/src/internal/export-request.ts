import { describeThrown, startTimer, stopTimer } from '@tributary/core/sink';
import { retryAfterMs } from './retry-timing.ts';

/** What one export request came to. */
export type ExportOutcome =
  /** 2xx: delivered, but for `rejected` records the collector refused (a partial success). */
  | { readonly kind: 'delivered'; readonly rejected: number; readonly reason: string }
  /** 429, 502, 503, 504, or no answer (connection refused, timeout): try again, after `retryAfterMs` when the collector said. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** Any other answer (400, 413, …): never retried, the records are lost. */
  | { readonly kind: 'refused'; readonly reason: string };

/** How a request is sent. */
export interface ExportTarget {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly contentType: string;
  readonly compression: 'gzip' | 'none';
  readonly requestTimeoutMs: number;
}

/** The status codes the OTLP specification lets a client retry. */
const RETRYABLE = new Set([429, 502, 503, 504]);
/** Most characters of a collector's error message kept in a report. */
const MESSAGE_CHARS = 200;

/**
 * POSTs one export request and classifies the answer per the OTLP/HTTP specification. Never
 * rejects. `abort` cuts the request short (a closing sink's deadline): that counts as no answer.
 * Reasons name the status and the collector's message, never the request's headers.
 */
export async function exportRequest(target: ExportTarget, body: string, abort: AbortSignal): Promise<ExportOutcome> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort();
  abort.addEventListener('abort', cancel, { once: true });
  const timer = startTimer(cancel, target.requestTimeoutMs);
  try {
    const payload = target.compression === 'gzip' ? await gzip(body) : body;
    const headers: Record<string, string> = { ...target.headers, 'content-type': target.contentType };
    if (target.compression === 'gzip') headers['content-encoding'] = 'gzip';
    const response = await fetch(target.url, { method: 'POST', headers, body: payload, signal: controller.signal });
    const text = await response.text();
    if (response.status >= 200 && response.status < 300) return delivered(text);
    const reason = `the collector answered HTTP ${response.status}${collectorMessage(text)}`;
    if (RETRYABLE.has(response.status)) {
      const after = retryAfterMs(response.headers.get('retry-after'));
      return after === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: after };
    }
    return { kind: 'refused', reason };
  } catch (error) {
    const why = controller.signal.aborted
      ? abort.aborted
        ? 'the sink closed before an answer came'
        : `no answer within ${target.requestTimeoutMs} ms`
      : describeThrown(error);
    return { kind: 'retry', reason: `the request failed: ${why}` };
  } finally {
    stopTimer(timer);
    abort.removeEventListener('abort', cancel);
  }
}

/** A 2xx answer: its `partialSuccess.rejectedLogRecords`, if any. */
function delivered(text: string): ExportOutcome {
  const answer = parseJson(text) as { partialSuccess?: { rejectedLogRecords?: unknown; errorMessage?: unknown } } | undefined;
  const partial = answer?.partialSuccess;
  const rejected = Number(partial?.rejectedLogRecords ?? 0);
  const message = typeof partial?.errorMessage === 'string' && partial.errorMessage !== '' ? `: ${partial.errorMessage.slice(0, MESSAGE_CHARS)}` : '';
  return {
    kind: 'delivered',
    rejected: Number.isSafeInteger(rejected) && rejected > 0 ? rejected : 0,
    reason: `the collector rejected them (partial success)${message}`,
  };
}

/** `: <message>` of an error answer (an OTLP `Status` or plain text), cut; empty when there is none. */
function collectorMessage(text: string): string {
  const status = parseJson(text) as { message?: unknown } | undefined;
  const message = typeof status?.message === 'string' ? status.message : status === undefined ? text.trim() : '';
  return message === '' ? '' : `: ${message.slice(0, MESSAGE_CHARS)}`;
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
