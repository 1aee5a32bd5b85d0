/**
 * The `otlp` scenario's workload: in-process producers taking turns in chunks of log calls, like
 * concurrent request handlers of one server, yielding to the event loop between chunks (so the
 * exporters' requests and answers run).
 */

/** One producer as the workload sees it: a logger that takes the record's sequence number. */
export interface OtlpWorkloadLogger {
  readonly producer: string;
  info(seq: number, msg: string, fields: Readonly<Record<string, string | number>>): void;
}

/** Log calls per producer between two yields to the event loop. */
const CHUNK = 1_000;

/**
 * Every logger logs `records` records (`seq` 1 to `records`), in turns of {@link CHUNK}. Returns the
 * mean wall time per log call in nanoseconds (the yields not counted).
 */
export async function logOtlpWorkload(loggers: readonly OtlpWorkloadLogger[], records: number): Promise<number> {
  let callingMs = 0;
  for (let first = 1; first <= records; first += CHUNK) {
    const last = Math.min(records, first + CHUNK - 1);
    const started = performance.now();
    for (const logger of loggers) {
      for (let seq = first; seq <= last; seq++) {
        logger.info(seq, 'request handled', { route: '/api/items', status: seq % 50 === 0 ? 500 : 200, ms: seq % 97, user: `u${seq % 1_000}` });
      }
    }
    callingMs += performance.now() - started;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return (callingMs * 1e6) / (records * loggers.length);
}
