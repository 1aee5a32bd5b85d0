import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { createReceiver } from '@tributary/sink-otlp/receiver';

/** A request body with `count` log records of scope `s`. */
function requestBody(count: number): string {
  const logRecords = Array.from({ length: count }, (_, index) => ({
    timeUnixNano: '1796340050123000000',
    severityNumber: 9,
    severityText: 'info',
    body: { stringValue: `m${index}` },
    attributes: [
      { key: 'producer', value: { stringValue: 'raw' } },
      { key: 'seq', value: { intValue: String(index + 1) } },
      { key: 'pid', value: { intValue: '1' } },
    ],
  }));
  return JSON.stringify({
    resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeLogs: [{ scope: { name: 's' }, logRecords }] }],
  });
}

const post = (url: string, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

/** The embedded receiver answers as told and keeps what it accepted. */
export default function suite(t: TestApi): void {
  t.describe('otlp receiver', () => {
    t.test('answers the chosen statuses with Retry-After, partial successes; keeps only what it accepted; decodes gzip', async () => {
      const answers = [{ status: 503, retryAfter: '2' }, { status: 400, errorMessage: 'nope' }, { rejectedLogRecords: 2, errorMessage: 'too old' }, {}];
      let next = 0;
      const receiver = await createReceiver({ respond: () => answers[next++] });
      try {
        const unavailable = await post(receiver.url, requestBody(3));
        assert.deepEqual([unavailable.status, unavailable.headers.get('retry-after')], [503, '2']);
        await unavailable.text();
        const refused = await post(receiver.url, requestBody(3));
        assert.deepEqual([refused.status, ((await refused.json()) as { message: string }).message], [400, 'nope']);
        const partial = await post(receiver.url, requestBody(5));
        assert.deepEqual(await partial.json(), { partialSuccess: { rejectedLogRecords: '2', errorMessage: 'too old' } });
        const zipped = await post(receiver.url, gzipSync(requestBody(4)), { 'content-encoding': 'gzip' });
        assert.deepEqual([zipped.status, await zipped.json()], [200, {}]);
        assert.deepEqual(
          receiver.requests.map((request) => [request.status, request.records, request.compressed]),
          [
            [503, 3, false],
            [400, 3, false],
            [200, 5, false],
            [200, 4, true],
          ],
        );
        assert.deepEqual([receiver.accepted, receiver.rejected], [7, 2]);
        assert.equal(receiver.records()[0]?.resource['service.name'], 'svc');
        const time = new Date(1796340050123).toISOString();
        assert.equal(receiver.lines()[0], `{"time":"${time}","level":"info","msg":"m0","logger":"s","producer":"raw","seq":1,"pid":1}`);
      } finally {
        await receiver.close();
      }
    });

    t.test('refuses what is not an OTLP JSON request: wrong path 404, wrong type 415, bad JSON 400', async () => {
      const receiver = await createReceiver();
      try {
        const wrongPath = await fetch(receiver.url.replace('/v1/logs', '/v1/traces'), { method: 'POST', body: '{}' });
        const wrongType = await fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: 'x' });
        const badJson = await post(receiver.url, '{"resourceLogs":');
        assert.deepEqual([wrongPath.status, wrongType.status, badJson.status], [404, 415, 400]);
        await Promise.all([wrongPath.text(), wrongType.text(), badJson.text()]);
        assert.equal(receiver.accepted, 0);
      } finally {
        await receiver.close();
      }
    });

    t.test('a delayed answer comes after its delay; close() drops a connection still waiting', async () => {
      const receiver = await createReceiver({ respond: (request) => (request.index === 1 ? { delayMs: 50 } : { delayMs: 600_000 }) });
      const delayed = await post(receiver.url, requestBody(1));
      assert.equal(delayed.status, 200);
      await delayed.text();
      const hanging = post(receiver.url, requestBody(1)).then(
        () => 'answered',
        () => 'dropped',
      );
      await waitFor(() => receiver.requests.length >= 2, 'the second request at the receiver');
      await receiver.close();
      assert.equal(await hanging, 'dropped');
      assert.equal(receiver.accepted, 1);
    });

    t.test('a receiver made again on the same port is the collector restarted', async () => {
      const first = await createReceiver();
      const port = first.port;
      await first.close();
      const second = await createReceiver({ port });
      try {
        assert.equal(second.port, port);
        const response = await post(second.url, requestBody(2));
        await response.text();
        assert.equal(second.accepted, 2);
      } finally {
        await second.close();
      }
    });
  });
}
