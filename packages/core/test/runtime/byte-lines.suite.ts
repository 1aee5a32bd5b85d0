import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { batchOf, utf8Length } from '@tributary/core/sink';
import type { Batch } from '@tributary/core/sink';
import { QueueHandler, RecordEncoder, createRingBuffer, createRingListenerEndpoint, createRingProducerEndpoint, entryFromLine } from '@tributary/core/adapter';
import type { LogEntry, Sink } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/**
 * Records that arrive through a shared-memory ring stay bytes: sinks get them without a decode and
 * a re-encode (`Batch.bytes()`), lines are decoded only when asked for, and a line that is not one
 * canonical JSON line is still caught and repaired.
 */
export default function suite(t: TestApi): void {
  const decoder = new TextDecoder();
  const encoder = new RecordEncoder({ producer: 'b1', pid: 7 });

  /** A sink that keeps every batch it was given. */
  const batchSink = (): Sink & { batches: Batch[] } => {
    const batches: Batch[] = [];
    return {
      name: 'batches',
      batches,
      write: (batch) => void batches.push(batch),
      flush: async () => {},
      close: async () => {},
      [Symbol.asyncDispose]: async () => {},
    };
  };

  const ringPair = (sinks: ConstructorParameters<typeof QueueListener>[0]['sinks']) => {
    const listener = new QueueListener({ sinks, onReport: () => {}, drainOnExit: false });
    const ring = createRingBuffer(64 * 1024);
    const listenerEnd = createRingListenerEndpoint(ring);
    listener.attach(listenerEnd);
    const producerEnd = createRingProducerEndpoint(ring, { waitTimeout: 0 });
    return { listener, listenerEnd, producerEnd };
  };

  t.describe('records as bytes from a ring', () => {
    t.test('a batch read together is handed on as the bytes that arrived, without a copy', async () => {
      const batches = batchSink();
      const { listener, listenerEnd, producerEnd } = ringPair([batches]);
      const handler = new QueueHandler(producerEnd, { producer: 'b1', runtime: 'test' });
      for (let n = 1; n <= 50; n++) handler.write('info', `record ${n} ünï 🎉`, '"bytes"', '', { n });
      assert.equal(await listener.flush(), true);
      assert.equal(batches.batches.length, 1, 'one batch read together is written as one');
      const batch = batches.batches[0] as Batch;
      assert.equal(batch.length, 50);
      const first = batch.bytes();
      const again = batchOf(batch.entries).bytes();
      // Both are views of the same received bytes: nothing was copied or encoded.
      assert.equal(first.buffer, again.buffer);
      assert.equal(first.byteOffset, again.byteOffset);
      assert.equal(decoder.decode(first), batch.entries.map((entry) => `${entry.line}\n`).join(''));
      assert.equal(batch.byteLength, new TextEncoder().encode(batch.text()).length);
      assert.equal(batch.text(), decoder.decode(first));
      assert.equal(batch.jsonLines(), first, 'jsonLines() of ring records is their bytes');
      const part = batch.slice(10, 20);
      assert.equal(part.bytes().buffer, first.buffer, 'a slice shares the same bytes');
      assert.equal(part.byteLength, part.bytes().length);
      assert.deepEqual(
        part.records().map((record) => record['n']),
        [11, 12, 13, 14, 15, 16, 17, 18, 19, 20],
      );
      await handler.close();
      await listener.stop();
    });

    t.test('records of several rings queued together reach the sink as batches that are each one run of bytes', async () => {
      const batches = batchSink();
      const listener = new QueueListener({ sinks: [batches], onReport: () => {}, drainOnExit: false });
      const handlers = ['r1', 'r2', 'r3'].map((producer) => {
        const ring = createRingBuffer(64 * 1024);
        listener.attach(createRingListenerEndpoint(ring));
        return new QueueHandler(createRingProducerEndpoint(ring, { waitTimeout: 0 }), { producer, runtime: 'test' });
      });
      for (let n = 1; n <= 100; n++) for (const handler of handlers) handler.write('info', `record ${n} ✓`, '"bytes"', '', { n });
      assert.equal(await listener.flush(), true);
      const fromRings = batches.batches.filter((batch) => batch.entries.some((entry) => entry.record.producer !== 'listener'));
      assert.equal(fromRings.flatMap((batch) => batch.entries).length, 300);
      for (const batch of fromRings) {
        // One run: bytes() hands out a view of the block, the same one every time (a copy would be new).
        assert.equal(batch.bytes().buffer, batchOf(batch.entries).bytes().buffer);
        assert.equal(decoder.decode(batch.bytes()), batch.entries.map((entry) => `${entry.line}\n`).join(''));
        assert.equal(batch.byteLength, batch.bytes().length);
      }
      await Promise.all(handlers.map((handler) => handler.close()));
      await listener.stop();
    });

    t.test('entries from rings, strings and notices mixed in one batch give the same bytes as their lines', async () => {
      const batches = batchSink();
      const { listener, listenerEnd, producerEnd } = ringPair([batches]);
      const handler = new QueueHandler(producerEnd, { producer: 'b1', runtime: 'test' });
      for (let n = 1; n <= 5; n++) handler.write('warn', `from the ring ${n} — ✓`, '"bytes"', '', { n });
      assert.equal(await listener.flush(), true);
      const fromRing = batches.batches.flatMap((batch) => batch.entries);
      const fromStrings = [1, 2, 3].map((n) => entryFromLine(encoder.encode('info', `string ${n} ✓ 😀`, '"s"', n, '', { n })));
      const mixed = [fromRing[0], fromStrings[0], fromRing[2], fromRing[1], fromStrings[1], fromStrings[2], fromRing[3], fromRing[4]] as LogEntry[];
      const expected = mixed.map((entry) => `${entry.line}\n`).join('');
      const mixedBatch = batchOf(mixed);
      assert.equal(mixedBatch.byteLength, new TextEncoder().encode(expected).length, 'byteLength is exact before bytes() is built');
      assert.equal(decoder.decode(mixedBatch.bytes()), expected);
      assert.equal(mixedBatch.text(), expected);
      assert.equal(batchOf(fromStrings).text(), fromStrings.map((entry) => `${entry.line}\n`).join(''));
      assert.equal(batchOf(fromStrings).jsonLines(), batchOf(fromStrings).text(), 'jsonLines() of text records is their text, not encoded');
      assert.ok(mixedBatch.jsonLines() instanceof Uint8Array, 'a mixed batch gives bytes');
      assert.equal(batchOf(fromStrings).byteLength, new TextEncoder().encode(batchOf(fromStrings).text()).length);
      assert.deepEqual([...mixedBatch], mixed, 'iterating a batch yields its entries in order');
      assert.equal(batchOf([]).bytes().length, 0);
      assert.equal(batchOf([]).byteLength, 0);
      assert.equal(batchOf([]).text(), '');
      await handler.close();
      await listener.stop();
    });

    t.test('levels are read from the bytes: a sink threshold filters ring records without parsing them', async () => {
      const all = memorySink('all');
      const warnings = memorySink('warnings');
      const { listener, listenerEnd, producerEnd } = ringPair([all, { sink: warnings, level: 'warn' }]);
      const handler = new QueueHandler(producerEnd, { producer: 'b1', runtime: 'test' });
      const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
      for (let n = 1; n <= 60; n++) handler.write(levels[n % 6] as (typeof levels)[number], `record ${n}`, '"bytes"', '', { n });
      assert.equal(await listener.flush(), true);
      const fromProducer = (sink: typeof all) => sink.entries.filter((entry) => entry.record.producer === 'b1');
      assert.equal(fromProducer(all).length, 60);
      assert.deepEqual(
        fromProducer(warnings).map((entry) => entry.record['n']),
        Array.from({ length: 60 }, (_, index) => index + 1).filter((n) => n % 6 >= 3),
      );
      for (const entry of fromProducer(all)) assert.equal(entry.level, entry.record.level);
      await handler.close();
      await listener.stop();
    });

    t.test('lines that are not one canonical JSON line are repaired in place, whatever bytes a producer wrote', async () => {
      const all = memorySink('all');
      const errors = memorySink('errors');
      const { listener, listenerEnd, producerEnd } = ringPair([all, { sink: errors, level: 'error' }]);
      producerEnd.send({ type: 'hello', version: 1, producer: 'odd', runtime: 'test', pid: 1, thread: 1 });
      const canonical = encoder.encode('warn', 'fine', '"odd"', 3, '', { k: 'v' });
      producerEnd.appendLine(1, 'not json at all');
      producerEnd.appendLine(2, '{"msg":"carriage\rreturn"}');
      producerEnd.appendLine(3, canonical);
      producerEnd.appendLine(4, '{"level":"error","msg":"not in the canonical layout"}');
      producerEnd.appendLine(5, '{"level":"info","msg":"a second\r in the same block"}');
      producerEnd.appendLine(6, '{}');
      assert.equal(await listener.flush(), true);
      const lines = all.lines().filter((line) => !line.includes('"logger":"tributary","producer":"listener"'));
      assert.equal(lines.length, 6);
      for (const line of lines) {
        assert.ok(!line.includes('\r') && !line.includes('\n'), line);
        JSON.parse(line);
      }
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.equal(records[0]?.['msg'], 'not json at all');
      assert.equal(records[0]?.['unparsable'], true);
      assert.equal(records[0]?.['seq'], 1);
      assert.equal(records[1]?.['msg'], '{"msg":"carriage\rreturn"}');
      assert.equal(records[1]?.['seq'], 2);
      assert.equal(lines[2], canonical);
      assert.equal(records[3]?.['msg'], 'not in the canonical layout');
      assert.equal(records[4]?.['unparsable'], true);
      assert.equal(lines[5], '{}');
      // The odd-layout line's level was parsed: the error sink got it, and nothing below error.
      assert.ok(errors.lines().includes('{"level":"error","msg":"not in the canonical layout"}'));
      assert.ok(!errors.lines().includes(canonical));
      await listener.stop();
    });

    t.test('UTF-8 lengths are counted exactly without encoding', () => {
      const samples = ['', 'plain ascii', 'é', 'ü and ✓', '🎉', 'a🎉b', '\uD800', 'x\uDC00y', '\uD83D', '\uD83D\uDE00\uD83D', 'ß'.repeat(1000)];
      for (const text of samples) assert.equal(utf8Length(text), new TextEncoder().encode(text).length, JSON.stringify(text));
      const entry = entryFromLine(encoder.encode('info', 'ünï 🎉', '"s"', 1, '', {}));
      assert.equal(batchOf([entry]).byteLength, new TextEncoder().encode(`${entry.line}\n`).length);
    });
  });
}
