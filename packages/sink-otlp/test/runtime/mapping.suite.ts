import assert from 'node:assert/strict';
import { batchOf } from '@tributary/core/sink';
import type { TestApi } from '@tributary/core/testing';
import { SEVERITY_NUMBER, otlpSink } from '@tributary/sink-otlp';
import { fromKeyValues } from '@tributary/sink-otlp/receiver';
import type { ReceivedLogRecord } from '@tributary/sink-otlp/receiver';
import { noEnvironment, sinkWithReceiver } from './helpers.ts';
import { FIXED_TIME_MS, SPAN_ID, TRACE_ID, TYPED_FIELDS, entryWith } from './records.ts';

/** Sends entries through a fresh sink and receiver; returns what the receiver decoded. */
async function roundTrip(entries: Parameters<typeof batchOf>[0], options: Parameters<typeof sinkWithReceiver>[0] = {}): Promise<readonly ReceivedLogRecord[]> {
  const { otlpSink: sink, receiver, cleanup } = await sinkWithReceiver(options);
  try {
    await sink.write(batchOf(entries));
    await sink.close();
    return receiver.records();
  } finally {
    await cleanup?.();
  }
}

/** The OpenTelemetry logs data model mapping, and the resource, headers and endpoint from options and environment. */
export default function suite(t: TestApi): void {
  t.describe('otlp sink mapping', () => {
    t.test('severity, body, time, scope, producer/seq/pid and typed attributes', async () => {
      const levels = Object.keys(SEVERITY_NUMBER) as (keyof typeof SEVERITY_NUMBER)[];
      const received = await roundTrip(levels.map((level, index) => entryWith(level, `app.${level}`, `${level} message`, TYPED_FIELDS, index + 1)));
      assert.equal(received.length, 6);
      assert.deepEqual(
        received.map((record) => [record.logRecord.severityNumber, record.logRecord.severityText, record.scope]),
        [
          [1, 'trace', 'app.trace'],
          [5, 'debug', 'app.debug'],
          [9, 'info', 'app.info'],
          [13, 'warn', 'app.warn'],
          [17, 'error', 'app.error'],
          [21, 'fatal', 'app.fatal'],
        ],
      );
      const first = received[0]?.logRecord;
      assert.deepEqual(first?.body, { stringValue: 'trace message' });
      assert.equal(first?.timeUnixNano, `${FIXED_TIME_MS}000000`);
      assert.equal(first?.observedTimeUnixNano, `${FIXED_TIME_MS}000000`);
      assert.deepEqual(first?.attributes, [
        { key: 'producer', value: { stringValue: 'mapper' } },
        { key: 'seq', value: { intValue: '1' } },
        { key: 'pid', value: { intValue: '4711' } },
        { key: 'text', value: { stringValue: TYPED_FIELDS.text } },
        { key: 'count', value: { intValue: '42' } },
        { key: 'negative', value: { intValue: '-7' } },
        { key: 'ratio', value: { doubleValue: 0.25 } },
        { key: 'big', value: { intValue: '1152921504606846976' } },
        { key: 'huge', value: { doubleValue: 1e300 } },
        { key: 'ok', value: { boolValue: true } },
        { key: 'nothing', value: {} },
        {
          key: 'list',
          value: {
            arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }, { boolValue: false }, { arrayValue: { values: [{ doubleValue: 3.5 }] } }] },
          },
        },
        {
          key: 'nested',
          value: {
            kvlistValue: {
              values: [
                { key: 'a', value: { kvlistValue: { values: [{ key: 'b', value: { stringValue: 'deep' } }] } } },
                { key: 'n', value: { intValue: '1' } },
              ],
            },
          },
        },
      ]);
      assert.equal(first?.traceId, undefined);
    });

    t.test('traceId/spanId and trace_id/span_id become the record’s trace fields; malformed ones stay attributes', async () => {
      const received = await roundTrip([
        entryWith('info', 'a', 'camel', { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1, other: 'x' }, 1),
        entryWith('info', 'a', 'snake', { trace_id: TRACE_ID, span_id: SPAN_ID }, 2),
        entryWith('info', 'a', 'bad', { traceId: 'not-hex', spanId: '0000000000000000' }, 3),
      ]);
      const [camel, snake, bad] = received.map((record) => record.logRecord);
      assert.deepEqual([camel?.traceId, camel?.spanId, camel?.flags], [TRACE_ID, SPAN_ID, 1]);
      assert.deepEqual(Object.keys(fromKeyValues(camel?.attributes ?? [])), ['producer', 'seq', 'pid', 'other']);
      assert.deepEqual([snake?.traceId, snake?.spanId], [TRACE_ID, SPAN_ID]);
      assert.deepEqual(Object.keys(fromKeyValues(snake?.attributes ?? [])), ['producer', 'seq', 'pid']);
      assert.deepEqual([bad?.traceId, bad?.spanId], [undefined, undefined]);
      assert.deepEqual(fromKeyValues(bad?.attributes ?? []), { producer: 'mapper', seq: 3, pid: 4711, traceId: 'not-hex', spanId: '0000000000000000' });
    });

    t.test('records of different loggers keep their order in a request (one scopeLogs per run)', async () => {
      const loggers = ['a', 'a', 'b', 'a', 'c', 'c'];
      const received = await roundTrip(loggers.map((logger, index) => entryWith('info', logger, `m${index}`, undefined, index + 1)));
      assert.deepEqual(
        received.map((record) => record.scope),
        loggers,
      );
      assert.deepEqual(
        received.map((record) => fromKeyValues(record.logRecord.attributes ?? []).seq),
        [1, 2, 3, 4, 5, 6],
      );
    });

    t.test('resource: the option over OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES; unknown_service by default', async () => {
      const environment: Record<string, string> = {
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attributes,deployment.environment=prod,team=a%2Cb,broken',
        OTEL_SERVICE_NAME: 'from-service-name',
      };
      const env = (name: string): string | undefined => environment[name];
      const [fromEnv] = await roundTrip([entryWith('info', 'x', 'm', undefined)], { env });
      assert.deepEqual(fromEnv?.resource, { 'service.name': 'from-service-name', 'deployment.environment': 'prod', team: 'a,b' });
      const [fromOption] = await roundTrip([entryWith('info', 'x', 'm', undefined)], { env, resource: { 'service.name': 'shop', 'host.cores': 2 } });
      assert.deepEqual(fromOption?.resource, { 'service.name': 'shop', 'deployment.environment': 'prod', team: 'a,b', 'host.cores': 2 });
      const [bare] = await roundTrip([entryWith('info', 'x', 'm', undefined)]);
      assert.match(String(bare?.resource['service.name']), /^unknown_service:(node|deno|bun)$/);
    });

    t.test('OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/logs, the LOGS_ variable is used as is; OTEL_EXPORTER_OTLP_HEADERS are sent, options over them', async () => {
      const base = otlpSink({ env: (name) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.example:4318/' })[name] });
      assert.equal(base.name, 'otlp:http://collector.example:4318/v1/logs');
      const logs = otlpSink({
        env: (name) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:1', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://logs.example/custom/path?x=1' })[name],
      });
      assert.equal(logs.name, 'otlp:https://logs.example/custom/path');
      const bare = otlpSink({ env: noEnvironment });
      assert.equal(bare.name, 'otlp:http://localhost:4318/v1/logs');
      const credentials = otlpSink({ env: noEnvironment, endpoint: 'http://user:pw@host:1/v1/logs' });
      assert.equal(credentials.name, 'otlp:http://host:1/v1/logs', 'no credentials in the name');
      await Promise.all([base, logs, bare, credentials].map((made) => made.close()));

      const environment: Record<string, string> = {
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=t1,Authorization=Bearer%20env',
        OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      };
      const { otlpSink: sink, receiver, cleanup } = await sinkWithReceiver({ env: (name) => environment[name], headers: { 'X-Tenant': 't2' } });
      try {
        await sink.write(batchOf([entryWith('info', 'x', 'm', undefined)]));
        await sink.flush();
        const headers = receiver.requests[0]?.headers ?? {};
        assert.deepEqual([headers['x-tenant'], headers.authorization, headers['content-encoding']], ['t2', 'Bearer env', 'gzip']);
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('credentials in the endpoint travel as a Basic authorization header, not in the URL or the name', async () => {
      const { otlpSink: plain, receiver, cleanup } = await sinkWithReceiver();
      await plain.close();
      const sink = otlpSink({ endpoint: receiver.url.replace('http://', 'http://ünï:p%40ss@'), env: noEnvironment });
      try {
        assert.equal(sink.name, `otlp:${receiver.url}`);
        await sink.write(batchOf([entryWith('info', 'x', 'm', undefined)]));
        await sink.flush();
        assert.equal(sink.stats.written, 1);
        const header = receiver.requests[0]?.headers.authorization ?? '';
        assert.equal(new TextDecoder().decode(Uint8Array.from(atob(header.replace('Basic ', '')), (char) => char.charCodeAt(0))), 'ünï:p@ss');
      } finally {
        await sink.close();
        await cleanup?.();
      }
    });

    t.test('bad options are clear errors at configuration time, and never show an endpoint or a header value', () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ maxBatchRecords: 0 }, /^otlpSink: maxBatchRecords must be an integer ≥ 1; got 0$/],
        [{ compression: 'brotli' }, /^otlpSink: compression must be one of "gzip", "none"; got "brotli"$/],
        [{ retry: { maxDelayMs: 100, initialDelayMs: 500 } }, /^otlpSink: retry.initialDelayMs must be an integer from 1 to 100; got 500$/],
        [{ endpoint: 'ftp://user:secret@host/x' }, /^otlpSink: endpoint must be an http or https URL; got a ftp: URL$/],
        [{ endpoint: 'not a url secret' }, /^otlpSink: endpoint must be an http or https URL; got text that is not a URL$/],
        [{ headers: { authorization: 12345 } }, /^otlpSink: headers.authorization must be a string; got a number$/],
        [{ resource: 'shop' }, /^otlpSink: resource must be an object; got "shop"$/],
      ];
      for (const [options, message] of cases) {
        assert.throws(
          () => otlpSink({ env: noEnvironment, ...options }),
          (error: unknown) => error instanceof Error && message.test(error.message),
          `${JSON.stringify(options)} throws ${message}`,
        );
      }
      assert.throws(() => otlpSink({ env: () => 'nonsense' }), /OTEL_EXPORTER_OTLP_\(LOGS_\)ENDPOINT variable must be an http or https URL/);
    });
  });
}
