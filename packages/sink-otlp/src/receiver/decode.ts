/**
 * Reading OTLP/HTTP JSON export requests back: the log records with their resource and scope, and
 * each record as the Tributary JSON line it came from (for comparing what arrived with what was
 * logged).
 */

/** An OTLP `AnyValue` as JSON, loosely typed (what a decoded request holds). */
export interface JsonAnyValue {
  readonly stringValue?: string;
  readonly boolValue?: boolean;
  readonly intValue?: string | number;
  readonly doubleValue?: number;
  readonly arrayValue?: { readonly values?: readonly JsonAnyValue[] };
  readonly kvlistValue?: { readonly values?: readonly JsonKeyValue[] };
  readonly bytesValue?: string;
}

/** An OTLP `KeyValue` as JSON. */
export interface JsonKeyValue {
  readonly key: string;
  readonly value?: JsonAnyValue;
}

/** An OTLP `LogRecord` as JSON. */
export interface JsonLogRecord {
  readonly timeUnixNano?: string | number;
  readonly observedTimeUnixNano?: string | number;
  readonly severityNumber?: number;
  readonly severityText?: string;
  readonly body?: JsonAnyValue;
  readonly attributes?: readonly JsonKeyValue[];
  readonly traceId?: string;
  readonly spanId?: string;
  readonly flags?: number;
}

/** One log record of a request, with where it sat. */
export interface ReceivedLogRecord {
  /** The resource's attributes, as plain values. */
  readonly resource: Readonly<Record<string, unknown>>;
  /** The scope's name (Tributary: the logger). */
  readonly scope: string;
  /** The log record as the request had it. */
  readonly logRecord: JsonLogRecord;
}

interface JsonRequest {
  readonly resourceLogs?: readonly {
    readonly resource?: { readonly attributes?: readonly JsonKeyValue[] };
    readonly scopeLogs?: readonly { readonly scope?: { readonly name?: string }; readonly logRecords?: readonly JsonLogRecord[] }[];
  }[];
}

/** The log records of an `ExportLogsServiceRequest` in JSON, in order. Throws on text that is not one. */
export function decodeLogsRequest(text: string): ReceivedLogRecord[] {
  const request = JSON.parse(text) as JsonRequest;
  if (request === null || typeof request !== 'object' || !Array.isArray(request.resourceLogs))
    throw new TypeError('not an ExportLogsServiceRequest: no resourceLogs array');
  const records: ReceivedLogRecord[] = [];
  for (const resourceLogs of request.resourceLogs) {
    const resource = fromKeyValues(resourceLogs.resource?.attributes ?? []);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scope = scopeLogs.scope?.name ?? '';
      for (const logRecord of scopeLogs.logRecords ?? []) records.push({ resource, scope, logRecord });
    }
  }
  return records;
}

/** The plain value of an `AnyValue`: int64 as a number, the empty value as null. */
export function fromAnyValue(value: JsonAnyValue | undefined): unknown {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(fromAnyValue);
  if (value.kvlistValue !== undefined) return fromKeyValues(value.kvlistValue.values ?? []);
  if (value.bytesValue !== undefined) return value.bytesValue;
  return null;
}

/** The plain object of a `KeyValue` list. */
export function fromKeyValues(values: readonly JsonKeyValue[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const { key, value } of values) object[key] = fromAnyValue(value);
  return object;
}

const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;

/**
 * The Tributary JSON line a record exported by `otlpSink` came from: `time`, `level`, `msg`,
 * `logger`, `producer`, `seq`, `pid`, then the other attributes in their order, then `traceId`,
 * `spanId` and `traceFlags` when the record had them (their place among the fields is not kept).
 */
export function toTributaryLine(record: ReceivedLogRecord): string {
  const { logRecord } = record;
  const attributes = fromKeyValues(logRecord.attributes ?? []);
  const { producer, seq, pid, ...fields } = attributes;
  const nanos = BigInt(logRecord.timeUnixNano ?? 0);
  const line: Record<string, unknown> = {
    time: new Date(Number(nanos / 1_000_000n)).toISOString(),
    level: logRecord.severityText,
    msg: fromAnyValue(logRecord.body),
    logger: record.scope,
    producer,
    seq,
    pid,
    ...fields,
  };
  if (logRecord.traceId) line.traceId = logRecord.traceId;
  if (logRecord.spanId) line.spanId = logRecord.spanId;
  if (logRecord.traceId && logRecord.flags !== undefined) line.traceFlags = logRecord.flags;
  // Tributary writes these line separators escaped, as JSON.stringify does not
  return JSON.stringify(line).replace(LINE_SEPARATORS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
