import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { PROTOCOL_VERSION } from '@tributary/core/adapter';
import type { ListenerReport } from '@tributary/core';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { scriptedListenerEndpoint, lines, hello, parsed, slowSink } from './queue-fixtures.ts';

/** The queue: the listener and its producers. */
export default function suite(t: TestApi): void {
  t.describe('queue: the listener and its producers', () => {
    t.test('a sequence gap gives one tributary.lost record with the exact count', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('r'));
      endpoint.deliver({ type: 'batch', producer: 'r', firstSeq: 1, lines: lines('r', 1, 2) });
      endpoint.deliver({ type: 'batch', producer: 'r', firstSeq: 6, lines: lines('r', 6, 7) });
      assert.equal(await listener.flush(), true);
      const records = parsed(sink);
      const lost = records.filter((record) => record['msg'] === 'tributary.lost');
      assert.equal(lost.length, 1);
      assert.equal(lost[0]?.['lost'], 3);
      assert.equal(lost[0]?.['fromSeq'], 3);
      assert.equal(lost[0]?.['toSeq'], 5);
      assert.equal(lost[0]?.['lostProducer'], 'r');
      assert.equal(lost[0]?.['producer'], 'listener');
      assert.deepEqual(
        records.filter((record) => record['producer'] === 'r').map((record) => record['seq']),
        [1, 2, 6, 7],
      );
      assert.deepEqual(endpoint.sent, [
        { type: 'ack', seq: 2 },
        { type: 'ack', seq: 7 },
      ]);
      assert.equal((await listener.stop()).lost, 3);
    });

    t.test('duplicates are written once', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('d'));
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 1, lines: lines('d', 1, 3) });
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 2, lines: lines('d', 2, 5) });
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 1, lines: lines('d', 1, 2) });
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 5, lines: lines('d', 5, 6) });
      const summary = await listener.stop();
      assert.deepEqual(
        parsed(sink).map((record) => record['seq']),
        [1, 2, 3, 4, 5, 6],
      );
      assert.equal(summary.received, 6);
      assert.equal(summary.lost, 0);
    });

    t.test('a hello with another protocol version is refused with a clear reason', async () => {
      const sink = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: (report) => reports.push(report) });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('future', PROTOCOL_VERSION + 1));
      endpoint.deliver({ type: 'batch', producer: 'future', firstSeq: 1, lines: lines('future', 1, 1) });
      const refused = endpoint.sent.find((frame) => frame.type === 'refused');
      assert.ok(refused !== undefined && refused.type === 'refused');
      assert.equal(refused.reason, `producer future speaks protocol version ${PROTOCOL_VERSION + 1}; this listener speaks ${PROTOCOL_VERSION}`);
      assert.equal(endpoint.closed, true);
      assert.equal(reports[0]?.kind, 'producer');
      await listener.stop();
      const records = parsed(sink);
      assert.equal(records.length, 1, "only the refusal notice, none of the refused producer's records");
      assert.equal(records[0]?.['msg'], 'tributary.refused');
      assert.match(String(records[0]?.['reason']), /protocol version/);
    });

    t.test('a producer id already connected is refused', async () => {
      const listener = new QueueListener({ sinks: [memorySink()], drainOnExit: false, onReport: () => {} });
      const first = scriptedListenerEndpoint();
      const second = scriptedListenerEndpoint();
      listener.attach(first);
      listener.attach(second);
      first.deliver(hello('same'));
      second.deliver(hello('same'));
      assert.deepEqual(second.sent, [{ type: 'refused', reason: 'producer id "same" is already connected' }]);
      assert.equal(first.sent.length, 0);
      await listener.stop();
    });

    t.test('malformed frames do not crash the listener; it keeps serving good producers', async () => {
      const sink = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: (report) => reports.push(report) });
      const bad = scriptedListenerEndpoint();
      listener.attach(bad);
      const hostileFrame = new Proxy(
        {},
        {
          get() {
            throw new Error('frame getter');
          },
        },
      );
      const garbage: unknown[] = [
        null,
        undefined,
        'text',
        42,
        [],
        { type: 'nope' },
        hostileFrame,
        { type: 'hello' },
        { type: 'hello', version: 1, producer: '' },
        { type: 'batch', firstSeq: 'x', lines: [] },
        { type: 'batch', firstSeq: 1, lines: 'no' },
        { type: 'flush' },
        { type: 'bye', lastSeq: -1 },
      ];
      for (const frame of garbage) assert.doesNotThrow(() => bad.deliver(frame));
      assert.ok(reports.filter((report) => report.kind === 'protocol').length >= garbage.length - 1);
      bad.deliver(hello('bad'));
      const hostileLine = {
        toString() {
          throw new Error('no text');
        },
      };
      const batch = {
        type: 'batch',
        producer: 'bad',
        firstSeq: 1,
        lines: [lines('bad', 1, 1)[0], 'not json\n{"forged":true}', hostileLine, 17, '{"torn":', lines('bad', 6, 6)[0]],
      };
      assert.doesNotThrow(() => bad.deliver(batch));
      const good = scriptedListenerEndpoint();
      listener.attach(good);
      good.deliver(hello('good'));
      good.deliver({ type: 'batch', producer: 'good', firstSeq: 1, lines: lines('good', 1, 3) });
      await listener.stop();
      const check = checkOutput(sink.lines());
      assert.equal(check.torn, 0, 'every line written is one valid JSON record');
      for (const line of sink.lines()) assert.ok(!line.includes('\n'));
      assert.deepEqual(check.producers.get('bad'), { count: 6, maxSeq: 6, missing: 0, duplicated: 0, outOfOrder: 0 }, 'unusable lines keep their place');
      assert.equal(check.producers.get('good')?.count, 3);
      const badRecords = parsed(sink).filter((record) => record['producer'] === 'bad');
      assert.equal(badRecords[1]?.['msg'], 'not json\n{"forged":true}');
      assert.equal(badRecords[1]?.['unparsable'], true);
    });

    t.test('a hello with a bad lastSeq is refused; a good one resumes the sequence after it', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: () => {} });
      const bad = scriptedListenerEndpoint();
      listener.attach(bad);
      bad.deliver({ ...(hello('x') as object), lastSeq: 'many' });
      assert.equal(bad.sent[0]?.type, 'refused');
      const resumed = scriptedListenerEndpoint();
      listener.attach(resumed);
      resumed.deliver({ ...(hello('y') as object), lastSeq: 10 });
      resumed.deliver({ type: 'batch', producer: 'y', firstSeq: 11, lines: lines('y', 11, 12) });
      await listener.stop();
      assert.deepEqual(
        parsed(sink)
          .filter((record) => record['producer'] === 'y')
          .map((record) => record['seq']),
        [11, 12],
      );
      assert.equal(parsed(sink).filter((record) => record['msg'] === 'tributary.lost').length, 0);
    });

    t.test('a producer that ends without bye: what it handed over is kept, the rest reported lost', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('dying'));
      endpoint.deliver({ type: 'batch', producer: 'dying', firstSeq: 1, lines: lines('dying', 1, 4) });
      endpoint.end({ reason: 'exit code 1', lastSeqKnown: 9 });
      const summary = await listener.stop();
      const records = parsed(sink);
      assert.equal(records.filter((record) => record['producer'] === 'dying').length, 4);
      const lost = records.filter((record) => record['msg'] === 'tributary.lost');
      assert.equal(lost.length, 1);
      assert.equal(lost[0]?.['lost'], 5);
      assert.equal(summary.lost, 5);
      const exited = records.find((record) => record['msg'] === 'tributary.producer_exited');
      assert.equal(exited?.['reason'], 'exit code 1');
      assert.equal(checkOutput(sink.lines()).producers.get('listener')?.missing, 0, "the listener's own records are in sequence too");
    });

    t.test('bye announcing records that never arrived reports them lost', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('b'));
      endpoint.deliver({ type: 'batch', producer: 'b', firstSeq: 1, lines: lines('b', 1, 2) });
      endpoint.deliver({ type: 'bye', producer: 'b', lastSeq: 5 });
      endpoint.end({ reason: 'closed' });
      assert.equal((await listener.stop()).lost, 3);
      assert.equal(parsed(sink).filter((record) => record['msg'] === 'tributary.producer_exited').length, 0, 'a producer that said bye did not die');
    });

    t.test('flush frames are answered with flushed once the sinks have the records', async () => {
      const sink = slowSink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('f'));
      endpoint.deliver({ type: 'batch', producer: 'f', firstSeq: 1, lines: lines('f', 1, 50) });
      endpoint.deliver({ type: 'flush', id: 7 });
      await waitFor(() => endpoint.sent.some((frame) => frame.type === 'flushed'), 'the flushed frame');
      assert.deepEqual(
        endpoint.sent.find((frame) => frame.type === 'flushed'),
        { type: 'flushed', id: 7, complete: true },
      );
      assert.equal(sink.lines().length, 50);
      await listener.stop();
    });
  });
}
