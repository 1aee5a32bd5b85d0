import assert from 'node:assert/strict';
import { batchOf } from '@tributary/core/sink';
import type { Batch } from '@tributary/core/sink';
import type { LogEntry } from '@tributary/core';
import { checkOutput, multiByteMessages, recordingSinkContext, ringBatches, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { stdoutSink } from '@tributary/sink-stdout';
import { errnoError, memoryDestination } from './memory-destination.ts';
import { thrown } from './thrown.ts';

const encoder = new TextEncoder();
const byteLength = (text: string): number => encoder.encode(text).length;
const lines = (entries: Iterable<LogEntry>): string[] => [...entries].map((entry) => entry.line);

/** `count` records from a real ring, as the one batch the listener handed on. */
async function ringBatch(count: number): Promise<Batch> {
  const batches = await ringBatches(multiByteMessages(count));
  assert.equal(batches.length, 1, 'the records arrived as one batch');
  return batches[0] as Batch;
}

/** Where in `line` (bytes from its start) the first byte of its 🎉 is, plus `into` (1–3: inside the character). */
const insideEmoji = (line: string, into: number): number => byteLength(line.slice(0, line.indexOf('🎉'))) + into;

/** The JSON format takes records from a worker's ring as the bytes the worker wrote. */
export default function suite(t: TestApi): void {
  t.describe('stdoutSink with records from a ring (bytes)', () => {
    t.test('json format writes the bytes that arrived, without a copy; multi-byte text is exact', async () => {
      const batch = await ringBatch(20);
      assert.equal(batch.length, 20);
      const destination = memoryDestination();
      const given: Uint8Array[] = [];
      const writeSome = destination.writeSome;
      destination.writeSome = (data, offset) => {
        given.push(data);
        return writeSome(data, offset);
      };
      const sink = stdoutSink({ destination });
      await sink.write(batch);
      assert.equal(given.length, 1);
      assert.equal(given[0]?.buffer, batch.bytes().buffer, 'a view of the ring block, not a copy');
      assert.deepEqual(destination.lines(), lines(batch));
      assert.equal(sink.stats.bytes, batch.byteLength);
      assert.equal(sink.stats.written, 20);
      await sink.close();
    });

    t.test('a full pipe that takes bytes up to the middle of a 4-byte character: the rest follows, nothing torn', async () => {
      const batch = await ringBatch(6);
      const destination = memoryDestination();
      const room = insideEmoji(batch.entries[0]?.line ?? '', 2);
      destination.room = room;
      const sink = stdoutSink({ destination });
      const pending = sink.write(batch);
      await waitFor(() => sink.stats.waits > 0, 'the write to wait');
      assert.equal(sink.stats.bytes, room);
      assert.equal(sink.stats.pendingBytes, batch.byteLength - room);
      destination.room = Number.POSITIVE_INFINITY;
      await pending;
      assert.deepEqual(destination.lines(), lines(batch));
      assert.equal(sink.stats.written, 6);
      await sink.close();
    });

    t.test('a write that fails inside a multi-byte character of the second record carries that record, exactly', async () => {
      const batch = await ringBatch(5);
      const first = batch.slice(0, 3);
      const second = batch.slice(3);
      const cut = byteLength(`${first.entries[0]?.line}\n`) + insideEmoji(first.entries[1]?.line ?? '', 3);
      const destination = memoryDestination();
      destination.failure = { error: errnoError('EIO'), after: cut, once: true };
      const sink = stdoutSink({ destination });
      const error = await thrown(() => sink.write(first));
      assert.equal((error as { code?: string }).code, 'EIO');
      assert.equal(sink.stats.written, 1);
      assert.equal(sink.stats.failed, 1, 'the third record failed; the second is carried');
      assert.equal(sink.stats.bytes, cut);
      await sink.write(second);
      assert.deepEqual(destination.lines(), [first.entries[0]?.line, first.entries[1]?.line, ...lines(second)]);
      assert.equal(sink.stats.written, 4);
      assert.equal(sink.stats.bytes, byteLength([first.entries[0], first.entries[1], ...second].map((entry) => `${entry?.line}\n`).join('')));
      assert.equal(checkOutput(destination.lines()).torn, 0);
      await sink.close();
    });

    t.test('EPIPE inside a multi-byte character: the records lost are counted exactly', async () => {
      const batch = await ringBatch(7);
      const cut =
        byteLength(
          batch
            .slice(0, 4)
            .entries.map((entry) => `${entry.line}\n`)
            .join(''),
        ) + insideEmoji(batch.entries[4]?.line ?? '', 1);
      const destination = memoryDestination();
      destination.failure = { error: errnoError('EPIPE'), after: cut, once: false };
      const sink = stdoutSink({ destination });
      const context = recordingSinkContext();
      sink.open?.(context);
      await sink.write(batch); // handled by the sink: reported, not thrown
      assert.deepEqual(
        context.drops.map((drop) => drop.records),
        [3],
      );
      assert.match(context.drops[0]?.reason ?? '', /reader closed the pipe \(EPIPE\)/);
      assert.deepEqual([sink.stats.written, sink.stats.dropped, sink.stats.failed], [4, 3, 0]);
      assert.equal(sink.stats.bytes, cut);
      await sink.write(batch.slice(0, 2)); // discarded quietly, counted, reported at close
      assert.equal(sink.stats.dropped, 5);
      assert.equal(context.drops.length, 1);
      await sink.close();
      assert.deepEqual(
        context.drops.map((drop) => drop.records),
        [3, 2],
      );
    });

    t.test('a custom formatter still writes text, and a cut inside its multi-byte output is counted exactly', async () => {
      const batch = await ringBatch(4);
      const format = (entry: LogEntry): string => `⟨${String(entry.record['n'])}⟩ ${entry.record.msg}`;
      const formatted = batch.entries.map(format);
      const cut = byteLength(`${formatted[0]}\n`) + insideEmoji(formatted[1] ?? '', 2);
      const destination = memoryDestination();
      destination.failure = { error: errnoError('EIO'), after: cut, once: true };
      const sink = stdoutSink({ destination, format });
      await thrown(() => sink.write(batch));
      assert.equal(sink.stats.written, 1);
      assert.equal(sink.stats.failed, 2);
      await sink.write(batchOf([]));
      await sink.close();
      assert.deepEqual(destination.lines(), formatted.slice(0, 2));
    });
  });
}
