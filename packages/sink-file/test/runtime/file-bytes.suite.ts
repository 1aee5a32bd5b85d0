import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLinesFormatter } from '@tributary/core';
import { RecordEncoder, batchOf, entryFromLine } from '@tributary/core/sink';
import type { Batch } from '@tributary/core/sink';
import type { LogEntry } from '@tributary/core';
import { recordingSinkContext, ringEntries, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { fileSink, nodeFileDriver } from '@tributary/sink-file';
import type { FileDriver } from '@tributary/sink-file';

const encoder = new TextEncoder();

/** The JSON lines of entries as UTF-8, built from their decoded lines (the reference the sink must match). */
const expectedBytes = (entries: readonly LogEntry[] | Batch): Buffer => Buffer.from(encoder.encode([...entries].map((entry) => `${entry.line}\n`).join('')));

/** `count` records from a real ring, as one batch (one run of the ring's bytes). */
const ringBatch = async (count: number): Promise<Batch> => batchOf(await ringEntries(count));

/** The node:fs driver, counting its calls and keeping what `write` was given. */
function spyDriver(): FileDriver & { texts: number; given: Uint8Array[] } {
  const driver = {
    ...nodeFileDriver,
    texts: 0,
    given: [] as Uint8Array[],
    writeText(fd: number, text: string): number {
      driver.texts += 1;
      return nodeFileDriver.writeText(fd, text);
    },
    write(fd: number, data: Uint8Array, offset: number, length: number): number {
      driver.given.push(data);
      return nodeFileDriver.write(fd, data, offset, length);
    },
  };
  return driver;
}

function withDir(body: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-bytes-'));
    try {
      await body(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}

/** Records from a worker's ring are written as the bytes the worker encoded, with every guarantee of the text path. */
export default function suite(t: TestApi): void {
  t.describe('fileSink with records from a ring (bytes)', () => {
    t.test(
      'large ring batches waiting together are each written as they arrived, a text record between them as its string, in order',
      withDir(async (dir) => {
        const first = await ringBatch(200);
        const second = await ringBatch(200);
        const small = batchOf([entryFromLine(new RecordEncoder({ producer: 'main', pid: 1 }).encode('info', 'between ✓', '"m"', 1, '', {}))]);
        assert.ok(first.byteLength >= 16 * 1024, 'the batches are large');
        const path = join(dir, 'large.log');
        const driver = spyDriver();
        const sink = fileSink({ path, driver, bufferSize: 1024 * 1024 });
        sink.write(first);
        sink.write(small);
        sink.write(second);
        await sink.flush();
        assert.deepEqual(fs.readFileSync(path), expectedBytes([...first, ...small, ...second]));
        assert.equal(driver.given.length, 2, 'the two ring batches, each in one write');
        assert.equal(driver.given[0]?.buffer, first.bytes().buffer, 'the first batch: a view of its ring block, not a copy');
        assert.equal(driver.given[1]?.buffer, second.bytes().buffer, 'the second batch: a view of its ring block, not a copy');
        assert.equal(driver.texts, 1, 'the text record between them is written as its string, in its place');
        assert.equal(sink.stats.written, 401);
        await sink.close();
      }),
    );

    t.test(
      'the canonical lines go out as the bytes that arrived (no copy, no string), multi-byte text exact',
      withDir(async (dir) => {
        const batch = await ringBatch(50);
        for (const format of [undefined, jsonLinesFormatter]) {
          const path = join(dir, `${format === undefined ? 'default' : 'json'}.log`);
          const driver = spyDriver();
          const sink = fileSink({ path, driver, ...(format === undefined ? {} : { format }) });
          sink.writeSync?.(batch);
          assert.deepEqual(fs.readFileSync(path), expectedBytes(batch), 'written by writeSync, before close');
          assert.equal(driver.texts, 0, 'no string was written');
          assert.equal(driver.given.length, 1);
          assert.equal(driver.given[0]?.buffer, batch.bytes().buffer, 'a view of the ring block');
          assert.equal(sink.stats.bytesWritten, expectedBytes(batch).length);
          await sink.close();
        }
      }),
    );

    t.test(
      'a custom formatter still writes text',
      withDir(async (dir) => {
        const batch = await ringBatch(10);
        const driver = spyDriver();
        const path = join(dir, 'app.log');
        const sink = fileSink({ path, driver, format: (entry) => `${entry.level} ${entry.record.msg}` });
        await sink.write(batch);
        await sink.close();
        assert.ok(driver.texts > 0);
        assert.equal(fs.readFileSync(path, 'utf8'), batch.entries.map((entry) => `info ${entry.record.msg}\n`).join(''));
      }),
    );

    t.test(
      'short writes that stop inside multi-byte characters: every byte lands once, in order',
      withDir(async (dir) => {
        const batch = await ringBatch(300);
        const driver: FileDriver = { ...nodeFileDriver, write: (fd, data, offset, length) => nodeFileDriver.write(fd, data, offset, Math.min(length, 7)) };
        const path = join(dir, 'app.log');
        const sink = fileSink({ path, driver, bufferSize: 1_000 });
        for (let index = 0; index < batch.length; index += 30) await sink.write(batch.slice(index, index + 30));
        await sink.close();
        assert.deepEqual(fs.readFileSync(path), expectedBytes(batch));
        assert.equal(sink.stats.bytesWritten, expectedBytes(batch).length);
        assert.deepEqual([sink.stats.written, sink.stats.pendingRecords], [300, 0]);
      }),
    );

    t.test(
      'a failing disk: byte batches wait (counted in bytes, bounded), are retried, then written once',
      withDir(async (dir) => {
        const batch = await ringBatch(60);
        let full = true;
        const driver: FileDriver = {
          ...nodeFileDriver,
          write(fd, data, offset, length) {
            if (full) throw Object.assign(new Error('ENOSPC: simulated'), { code: 'ENOSPC' });
            return nodeFileDriver.write(fd, data, offset, length);
          },
        };
        const context = recordingSinkContext();
        const path = join(dir, 'app.log');
        const first = batch.slice(0, 20);
        const second = batch.slice(20, 40);
        const third = batch.slice(40);
        const size = (entries: Batch): number => expectedBytes(entries).length;
        const maxBufferSize = size(first) + size(second) + 10;
        const sink = fileSink({ path, driver, bufferSize: 1, maxBufferSize, retryInterval: 20 });
        sink.open?.(context);
        try {
          await sink.write(first);
          assert.equal(sink.stats.failing, true);
          await sink.write(second);
          assert.equal(sink.stats.pendingBytes, size(first) + size(second), 'pendingBytes counts UTF-8 bytes');
          assert.equal(sink.stats.pendingRecords, 40);
          sink.write(third); // does not fit: dropped whole, reported, not thrown
          assert.deepEqual(
            context.drops.map((drop) => drop.records),
            [20],
          );
          assert.match(context.drops[0]?.reason ?? '', /cannot be written/);
          assert.equal(sink.stats.dropped, 20);
          full = false;
          await waitFor(() => !sink.stats.failing, 'the retry to succeed');
          await sink.write(third);
          await sink.close();
          assert.deepEqual(fs.readFileSync(path), expectedBytes(batch));
          assert.equal(context.failures.length, 1, 'the failure reported once');
          assert.match(String(context.failures[0]?.error), /ENOSPC/);
          assert.deepEqual(
            context.notices.map((notice) => notice.event),
            ['tributary.recovered'],
          );
          assert.deepEqual([sink.stats.written, sink.stats.dropped, sink.stats.failed], [60, 20, 0]);
        } finally {
          await sink.close().catch(() => {});
        }
      }),
    );

    t.test(
      'a record whose head a short write left in one file is written whole to the next (reopen)',
      withDir(async (dir) => {
        const batch = await ringBatch(6);
        const lineBytes = batch.entries.map((entry) => encoder.encode(`${entry.line}\n`));
        const third = batch.entries[2];
        const headOfThird = encoder.encode(third?.line.slice(0, third.line.indexOf('🎉')) ?? '').length + 2; // inside the 🎉
        const cut = (lineBytes[0]?.length ?? 0) + (lineBytes[1]?.length ?? 0) + headOfThird;
        let calls = 0;
        const driver: FileDriver = {
          ...nodeFileDriver,
          write(fd, data, offset, length) {
            calls += 1;
            if (calls === 1) return nodeFileDriver.write(fd, data, offset, cut);
            if (calls === 2) throw Object.assign(new Error('EIO: simulated'), { code: 'EIO' });
            return nodeFileDriver.write(fd, data, offset, length);
          },
        };
        const path = join(dir, 'app.log');
        const sink = fileSink({ path, driver, bufferSize: 1, retryInterval: 60_000, watchInterval: 0 });
        sink.open?.(recordingSinkContext());
        await sink.write(batch);
        assert.equal(sink.stats.failing, true);
        fs.renameSync(path, `${path}.1`);
        await sink.reopen();
        await sink.close();
        const old = fs.readFileSync(`${path}.1`);
        assert.deepEqual(old, Buffer.concat([lineBytes[0] as Uint8Array, lineBytes[1] as Uint8Array, (lineBytes[2] as Uint8Array).subarray(0, headOfThird)]));
        assert.deepEqual(fs.readFileSync(path), expectedBytes(batch.slice(2)), 'the cut record whole, then the rest');
      }),
    );
  });
}
