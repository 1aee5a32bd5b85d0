import { DiskSpool, SinkClosedError, SinkReporter, SpoolBridge, entryFromLine, onProcessExit } from '@tributary/core/sink';
import type { Batch, Sink, SinkContext, SinkStats } from '@tributary/core/sink';
import { jsonEncoder } from './encoding/encoder.ts';
import type { EncodedRecord } from './encoding/encoder.ts';
import { Delivery } from './internal/delivery.ts';
import type { HeldRecord } from './internal/record-buffer.ts';
import { resolveOtlpSinkOptions } from './options.ts';
import type { OtlpSinkOptions } from './options.ts';

/** What an OTLP sink has done so far: the shape every sink has, and its own counters. */
export interface OtlpSinkStats extends SinkStats {
  /** Records the collector took (answered 2xx, partial rejections excluded). */
  readonly written: number;
  /** Records given up: rejected, refused (400, 413, …), retried too long, buffer full during an outage, or undelivered at close or exit. */
  readonly dropped: number;
  /** Records lost to a failure of the sink itself (a bug), reported through `context.failed`; the collector's problems are all `dropped`. */
  readonly failed: number;
  /** Records held: waiting, being sent or retried. */
  readonly pendingRecords: number;
  /** UTF-8 bytes of those records, encoded. */
  readonly pendingBytes: number;
  /** Export requests the collector answered with a 2xx. */
  readonly requests: number;
  /** Requests tried again (429, 502, 503, 504 or no answer). */
  readonly retries: number;
  /** Whether the collector is taking requests now (false while a retry is pending). */
  readonly available: boolean;
  /** Records written to the spool so far (a record spooled twice, e.g. at a give-up and at exit, counts twice); 0 without a spool. */
  readonly spooled: number;
  /** Records in the spool's files now, waiting to be read back and sent (not in `pendingRecords`); 0 without a spool. */
  readonly spooledRecords: number;
}

/** A sink that exports to an OTLP/HTTP endpoint. */
export interface OtlpSink extends Sink {
  /** Counters, a fresh snapshot on every read. */
  readonly stats: OtlpSinkStats;
  /**
   * The process is ending: what the sink holds and `batch` go to the spool, or without one are
   * reported dropped (OTLP/HTTP cannot be sent synchronously; see the README).
   */
  writeSync(batch: Batch): void;
}

const EXIT_REASON = 'the process was ending: OTLP/HTTP cannot be sent synchronously';
const IN_FLIGHT_EXIT_REASON = 'the process was ending while their request was unanswered (the collector may have received them)';

/**
 * A sink that exports records as OpenTelemetry log records over OTLP/HTTP with JSON encoding
 * (`POST /v1/logs` through `fetch`), in requests bounded by records and bytes, retried per the OTLP
 * specification, with a bounded buffer. Configuration errors throw here; the collector's problems
 * never make `write` throw: the records it could not deliver are reported through the listener's
 * context with their exact number (`tributary.dropped`), an outage as one `tributary.sink_error`
 * and its end as `tributary.reconnected`. With `spool`, the records it cannot deliver now go to
 * disk instead and are sent first when the collector answers again (in this run or the next).
 */
export function otlpSink(options: OtlpSinkOptions = {}): OtlpSink {
  const resolved = resolveOtlpSinkOptions(options);
  const encoder = jsonEncoder(resolved.resource);
  const reporter = new SinkReporter(resolved.name);
  /** A spooled line back as a held record (throws for a line that is not a record). */
  const revive = (line: string, segment: number): HeldRecord => ({ ...encoder.encodeRecord(entryFromLine(line).record), line, segment });
  const spool = resolved.spool === undefined ? undefined : new SpoolBridge(DiskSpool.open(resolved.spool, 'otlpSink'), revive, reporter);
  const delivery = new Delivery(resolved, encoder, reporter, spool);
  let closing: Promise<void> | undefined;
  /** What an earlier run left is reported once the sink has its context (or at its first write without one). */
  const announce = (): void => spool?.spool.announce(reporter, resolved.name);
  if (spool !== undefined && spool.backlog > 0) delivery.kick();

  /** Records `from` on of `batch` go to the spool, after everything in it. */
  const spoolFrom = (batch: Batch, from: number): void => {
    const lines: string[] = [];
    for (let index = from; index < batch.length; index++) lines.push((batch.entries[index] as Batch['entries'][number]).line);
    spool?.append(lines);
    delivery.kick();
  };

  const writeOff = (extra: number): void => {
    const [buffered, inFlight] = delivery.writeOff();
    reporter.dropped(buffered + extra, EXIT_REASON);
    reporter.dropped(inFlight, IN_FLIGHT_EXIT_REASON);
  };
  // Registered before the listener's own exit drain (the sink is made first), so that the report
  // reaches the other sinks' last writes.
  const removeExitHook = onProcessExit(() => writeOff(0));

  // One drain window for flush() and close(): a close() right after a flush() that timed out, with
  // nothing delivered since, does not wait a second time (so stop() needs drainTimeoutMs, not twice it).
  let drainWindow: { readonly deadline: number; readonly delivered: number } | undefined;
  const drained = async (): Promise<boolean> => {
    if (drainWindow === undefined || drainWindow.delivered !== delivery.delivered) {
      drainWindow = { deadline: Date.now() + resolved.drainTimeoutMs, delivered: delivery.delivered };
    }
    const done = await delivery.progress.until(() => delivery.heldRecords === 0 && (spool?.backlog ?? 0) === 0, Math.max(0, drainWindow.deadline - Date.now()));
    if (done) drainWindow = undefined;
    return done;
  };

  const hasRoom = (record: EncodedRecord): boolean =>
    delivery.heldRecords === 0 || (delivery.heldRecords < resolved.bufferRecords && delivery.heldBytes + record.bytes <= resolved.bufferBytes);

  const sink: OtlpSink = {
    name: resolved.name,
    open(context: SinkContext) {
      reporter.open(context);
      announce();
    },
    async write(batch) {
      if (closing !== undefined) throw new SinkClosedError(resolved.name);
      announce();
      const entries = batch.entries;
      for (let index = 0; index < entries.length; index++) {
        // what is spooled goes first: newer records queue behind it, on disk
        if (spool !== undefined && spool.backlog > 0) return spoolFrom(batch, index);
        const entry = entries[index] as (typeof entries)[number];
        const record = encoder.encodeRecord(entry.record);
        // While the collector answers, wait for room (each wait ends with the request under way);
        // during an outage, what does not fit is spooled, or without a spool dropped.
        while (!hasRoom(record) && delivery.healthy) await delivery.progress.next(resolved.requestTimeoutMs);
        if (spool !== undefined && (spool.backlog > 0 || !hasRoom(record))) return spoolFrom(batch, index);
        if (!hasRoom(record)) {
          reporter.dropped(
            entries.length - index,
            `the collector was unavailable and the buffer (${resolved.bufferRecords} records, ${resolved.bufferBytes} bytes) was full`,
          );
          break;
        }
        delivery.buffer.push(spool === undefined ? record : { ...record, line: entry.line });
        delivery.kick();
      }
    },
    writeSync(batch) {
      if (closing !== undefined) throw new SinkClosedError(resolved.name);
      if (spool === undefined) return writeOff(batch.length);
      writeOff(0);
      spoolFrom(batch, 0);
    },
    async flush() {
      if (closing !== undefined) return;
      if (!(await drained())) {
        throw new Error(
          `otlp sink ${resolved.name}: ${delivery.heldRecords} records still waiting after ${resolved.drainTimeoutMs} ms (is the collector reachable?)`,
        );
      }
    },
    close() {
      closing ??= (async () => {
        removeExitHook();
        await drained();
        const [buffered, inFlight] = await delivery.stop();
        const reason = `undelivered at close: the collector did not take them within drainTimeoutMs (${resolved.drainTimeoutMs} ms)`;
        reporter.dropped(buffered, reason);
        reporter.dropped(inFlight, `${reason}; their request was unanswered (the collector may have received them)`);
        if (spool !== undefined) {
          const left = spool.backlog;
          spool.spool.close();
          if (left > 0) reporter.notice('warn', 'tributary.spooled', 'tributary.spooled', { sink: resolved.name, dir: spool.spool.dir, records: left });
        }
      })();
      return closing;
    },
    async [Symbol.asyncDispose]() {
      await sink.close();
    },
    get stats(): OtlpSinkStats {
      return {
        written: delivery.delivered,
        dropped: reporter.droppedRecords,
        failed: reporter.failedRecords,
        pendingRecords: delivery.heldRecords,
        pendingBytes: delivery.heldBytes,
        requests: delivery.requests,
        retries: delivery.retries,
        available: delivery.healthy,
        spooled: spool?.spooled ?? 0,
        spooledRecords: spool?.backlog ?? 0,
      };
    },
  };
  return sink;
}
