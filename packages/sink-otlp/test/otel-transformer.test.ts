/**
 * The encoding checked against the OpenTelemetry project's own: the same records are logged through
 * the OpenTelemetry SDK (its LoggerProvider, with the SDK's types: severity numbers, span context,
 * resource, scope) and turned into OTLP JSON by `@opentelemetry/otlp-transformer`; the documents are
 * compared field by field with what `otlpSink` sent. Node only (the SDK's test dependency).
 */
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { LogAttributes } from '@opentelemetry/api-logs';
import { JsonLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { batchOf } from '@tributary/core/sink';
import type { LevelName, LogEntry, LogRecord } from '@tributary/core/sink';
import { describe, test } from 'vitest';
import { sinkWithReceiver } from './runtime/helpers.ts';
import { SPAN_ID, TRACE_ID, TYPED_FIELDS, entryWith } from './runtime/records.ts';

const SDK_SEVERITY: Readonly<Record<LevelName, SeverityNumber>> = {
  trace: SeverityNumber.TRACE,
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
  fatal: SeverityNumber.FATAL,
};
const RESOURCE = { 'service.name': 'mapping-test', 'deployment.environment': 'ci', 'host.cores': 2 };

/** The records of the comparison: every level, every attribute type, trace context, several loggers, an error. */
function entries(): LogEntry[] {
  const error = new TypeError('bad input', { cause: new Error('root') });
  const { big, huge, ...typed } = TYPED_FIELDS; // see "where the two differ on purpose"
  return [
    entryWith('trace', 'app', 'all types', typed, 1),
    entryWith('debug', 'app', 'trace context', { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, step: 2 }, 2),
    entryWith('info', 'app.db', 'another scope', { query: 'select 1', rows: 0 }, 3),
    entryWith('warn', 'app.db', 'trace without flags', { traceId: TRACE_ID, spanId: SPAN_ID }, 4),
    entryWith('error', 'app', 'an error', { err: error }, 5),
    entryWith('fatal', 'app', 'ünïcødé 🎉 "quoted"\nline', { empty: '', zero: 0, minus: -1.5 }, 6),
  ];
}

/** The same records through the OpenTelemetry SDK, as the OTLP JSON the transformer makes of them. */
async function sdkDocument(records: readonly LogRecord[]): Promise<OtlpDocument> {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes(RESOURCE), processors: [new SimpleLogRecordProcessor({ exporter })] });
  for (const record of records) {
    const { time, level, msg, logger, traceId, spanId, traceFlags, ...fields } = record;
    const context =
      typeof traceId === 'string' && typeof spanId === 'string'
        ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: typeof traceFlags === 'number' ? traceFlags : 0 })
        : ROOT_CONTEXT;
    const timestamp = Date.parse(time);
    provider.getLogger(logger).emit({
      timestamp,
      observedTimestamp: timestamp,
      severityNumber: SDK_SEVERITY[level],
      severityText: level,
      body: msg,
      attributes: fields as LogAttributes,
      context,
    });
  }
  await provider.forceFlush();
  const body = JsonLogsSerializer.serializeRequest(exporter.getFinishedLogRecords());
  await provider.shutdown();
  return JSON.parse(new TextDecoder().decode(body)) as OtlpDocument;
}

interface OtlpDocument {
  resourceLogs: { resource: { attributes: unknown[] }; scopeLogs: { scope: { name: string }; logRecords: Record<string, unknown>[] }[] }[];
}

/**
 * Equal in the protobuf JSON mapping: int64 as a number or a decimal string, a field at its default
 * (0, absent) left out — the transformer writes `droppedAttributesCount: 0` and `flags: 0`.
 */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === undefined || ((key === 'droppedAttributesCount' || key === 'flags') && inner === 0)) continue;
    out[key] = key === 'intValue' ? String(inner) : normalize(inner);
  }
  return out;
}

/** Each log record with its scope, in a document's order within each scope. */
function recordsByScope(document: OtlpDocument): Map<string, unknown[]> {
  const scopes = new Map<string, unknown[]>();
  for (const resourceLogs of document.resourceLogs) {
    for (const scopeLogs of resourceLogs.scopeLogs) {
      const list = scopes.get(scopeLogs.scope.name) ?? [];
      list.push(...scopeLogs.logRecords.map(normalize));
      scopes.set(scopeLogs.scope.name, list);
    }
  }
  return scopes;
}

describe('the OTLP JSON encoding matches @opentelemetry/otlp-transformer', () => {
  test('resource, scopes and every log record field by field', async () => {
    const given = entries();
    const expected = await sdkDocument(given.map((entry) => entry.record));
    const { otlpSink: sink, receiver, cleanup } = await sinkWithReceiver({ resource: RESOURCE });
    try {
      await sink.write(batchOf(given));
      await sink.close();
      const received = receiver.records();
      assert.equal(received.length, given.length);

      const sdkResource = normalize(expected.resourceLogs[0]?.resource.attributes) as { key: string }[];
      assert.deepEqual(
        sdkResource.map((attribute) => attribute.key),
        Object.keys(RESOURCE),
        'the SDK document has only the given resource',
      );
      assert.deepEqual(received[0]?.resource, RESOURCE);

      // the transformer groups by scope; ours keeps order with one scopeLogs per run: compare per scope, in order
      const ours = new Map<string, unknown[]>();
      for (const record of received) ours.set(record.scope, [...(ours.get(record.scope) ?? []), normalize(record.logRecord)]);
      const theirs = recordsByScope(expected);
      assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
      let compared = 0;
      for (const [scope, records] of theirs) {
        const mine = ours.get(scope) ?? [];
        assert.equal(mine.length, records.length, `records of scope ${scope}`);
        for (let index = 0; index < records.length; index++) {
          const sdkRecord = records[index] as Record<string, unknown>;
          const ourRecord = mine[index] as Record<string, unknown>;
          assert.deepEqual(Object.keys(ourRecord).sort(), Object.keys(sdkRecord).sort(), `the fields of record ${index} of scope ${scope}`);
          for (const field of Object.keys(sdkRecord)) {
            assert.deepEqual(ourRecord[field], sdkRecord[field], `${field} of record ${index} of scope ${scope}`);
            compared += 1;
          }
        }
      }
      // six fields on every record (times, severity number and text, body, attributes), trace and
      // span ids on the two with a trace context, flags on the one with traceFlags
      assert.equal(compared, given.length * 6 + 2 * 2 + 1);
    } finally {
      await cleanup?.();
    }
  });

  test('where the two differ on purpose: integers beyond 2^53', async () => {
    // The transformer's JSON writes an int64 as a JavaScript number, so 2^60 reaches the collector
    // rounded (1152921504606847000) and 1e300, no int64 at all, as an intValue. The OTLP JSON mapping
    // writes int64 as decimal strings: ours sends 2^60 exactly and 1e300 as a double.
    const record = entryWith('info', 'app', 'big numbers', { big: TYPED_FIELDS.big, huge: TYPED_FIELDS.huge }).record;
    const sdk = await sdkDocument([record]);
    const sdkAttributes = JSON.stringify(sdk.resourceLogs[0]?.scopeLogs[0]?.logRecords[0]?.attributes);
    assert.ok(sdkAttributes.includes('{"key":"big","value":{"intValue":1152921504606847000}}'), sdkAttributes);
    assert.ok(sdkAttributes.includes('{"key":"huge","value":{"intValue":1e+300}}'), sdkAttributes);
    const { otlpSink: sink, receiver, cleanup } = await sinkWithReceiver();
    try {
      await sink.write(batchOf([entryWith('info', 'app', 'big numbers', { big: TYPED_FIELDS.big, huge: TYPED_FIELDS.huge })]));
      await sink.close();
      const ours = receiver.records()[0]?.logRecord.attributes?.slice(3);
      assert.deepEqual(ours, [
        { key: 'big', value: { intValue: '1152921504606846976' } },
        { key: 'huge', value: { doubleValue: 1e300 } },
      ]);
    } finally {
      await cleanup?.();
    }
  });
});
