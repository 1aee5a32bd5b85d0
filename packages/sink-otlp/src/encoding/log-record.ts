import type { LogRecord } from '@tributary/core/sink';
import { toAnyValue } from './any-value.ts';
import type { AnyValue, KeyValue } from './any-value.ts';
import { SEVERITY_NUMBER } from './severity.ts';

/** An OTLP `LogRecord` in its JSON form, as this sink writes it. */
export interface OtlpLogRecord {
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: AnyValue;
  readonly attributes: readonly KeyValue[];
  readonly traceId?: string;
  readonly spanId?: string;
  readonly flags?: number;
}

/** The record fields that are not attributes: they have places of their own in an OTLP log record. */
const OWN_PLACES = new Set(['time', 'level', 'msg', 'logger', 'producer', 'seq', 'pid']);
/** Field names read as the record's trace context (W3C hex ids), in both spellings. */
const TRACE_ID_FIELDS = ['traceId', 'trace_id'] as const;
const SPAN_ID_FIELDS = ['spanId', 'span_id'] as const;
const FLAGS_FIELDS = ['traceFlags', 'trace_flags'] as const;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const ALL_ZERO = /^0+$/;

/**
 * Maps one Tributary record to an OTLP log record (the OpenTelemetry logs data model): `time` to
 * `timeUnixNano` (and `observedTimeUnixNano`: the producer observed the event when it logged it),
 * the level to `severityNumber` and `severityText`, `msg` to `body`, `producer`, `seq` and `pid`
 * to attributes (so a backend query finds gaps), every other field to an attribute with its type
 * kept, and a valid `traceId`/`trace_id`, `spanId`/`span_id` (lower-case hex, not all zeros) and
 * `traceFlags`/`trace_flags` (0–255) to the record's own trace fields. The logger name is the
 * scope, set by the caller.
 */
export function toOtlpLogRecord(record: LogRecord): OtlpLogRecord {
  const traceId = pickId(record, TRACE_ID_FIELDS, TRACE_ID);
  const spanId = pickId(record, SPAN_ID_FIELDS, SPAN_ID);
  const flags = traceId === undefined ? undefined : pickFlags(record);
  const attributes: KeyValue[] = [
    { key: 'producer', value: toAnyValue(record.producer) },
    { key: 'seq', value: toAnyValue(record.seq) },
    { key: 'pid', value: toAnyValue(record.pid) },
  ];
  for (const key of Object.keys(record)) {
    if (OWN_PLACES.has(key) || key === traceId?.field || key === spanId?.field || key === flags?.field) continue;
    attributes.push({ key, value: toAnyValue(record[key]) });
  }
  const nanos = unixNanos(record.time);
  return {
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    severityNumber: SEVERITY_NUMBER[record.level] ?? 0,
    severityText: record.level,
    body: toAnyValue(record.msg),
    attributes,
    ...(traceId === undefined ? {} : { traceId: traceId.value }),
    ...(spanId === undefined ? {} : { spanId: spanId.value }),
    ...(flags === undefined ? {} : { flags: flags.value }),
  };
}

/** Nanoseconds since the Unix epoch of an ISO time, as the decimal string OTLP JSON uses for fixed64; "0" (unknown) when it does not parse. */
function unixNanos(time: string): string {
  const milliseconds = Date.parse(time);
  return Number.isFinite(milliseconds) && milliseconds > 0 ? `${milliseconds}000000` : '0';
}

function pickId(record: LogRecord, names: readonly string[], shape: RegExp): { field: string; value: string } | undefined {
  for (const field of names) {
    const value = record[field];
    if (typeof value === 'string' && shape.test(value) && !ALL_ZERO.test(value)) return { field, value };
  }
  return undefined;
}

function pickFlags(record: LogRecord): { field: string; value: number } | undefined {
  for (const field of FLAGS_FIELDS) {
    const value = record[field];
    if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 255) return { field, value: value as number };
  }
  return undefined;
}
