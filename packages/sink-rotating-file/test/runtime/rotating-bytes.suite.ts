import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import type { LogEntry } from '@tributary/core';
import { ringEntries } from '@tributary/core/testing';
import { batchOf } from '@tributary/core/sink';
import type { TestApi } from '@tributary/core/testing';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import { inDir, manualClock, numberedFiles } from './helpers.ts';

const encoder = new TextEncoder();

/** Each record's line with its newline, in UTF-8. */
const lineBytes = (entries: readonly LogEntry[]): Uint8Array[] => entries.map((entry) => encoder.encode(`${entry.line}\n`));

/**
 * The rule, applied by hand: a record goes to the current file unless the file is not empty and the
 * record would take it past `maxSize` (in bytes); then the file is rotated first. Returns each file's
 * records, oldest file first.
 */
function expectedFiles(lines: readonly Uint8Array[], maxSize: number, measure = (line: Uint8Array) => line.length): Uint8Array[][] {
  const files: Uint8Array[][] = [[]];
  let size = 0;
  for (const line of lines) {
    if (size > 0 && size + measure(line) > maxSize) {
      files.push([]);
      size = 0;
    }
    (files[files.length - 1] as Uint8Array[]).push(line);
    size += measure(line);
  }
  return files;
}

const concat = (parts: readonly Uint8Array[]): Buffer => Buffer.concat(parts.map((part) => Buffer.from(part)));

/** Size rotation counts the bytes a worker wrote, exactly, and writes slices of the batch as bytes. */
export default function suite(t: TestApi): void {
  t.describe('rotatingFileSink with records from a ring (bytes)', () => {
    t.test('rotates at an exact byte size with multi-byte records: every file is exactly what the rule says', () =>
      inDir(async (dir) => {
        const batch = await ringEntries(40);
        const lines = lineBytes(batch);
        // Three records fit exactly: the first file must be maxSize bytes, not one byte more or less.
        const maxSize = (lines[0]?.length ?? 0) + (lines[1]?.length ?? 0) + (lines[2]?.length ?? 0);
        const expected = expectedFiles(lines, maxSize);
        const byCharacters = expectedFiles(lines, maxSize, (line) => new TextDecoder().decode(line).length);
        assert.notEqual(byCharacters.length, expected.length, 'counting characters would rotate elsewhere: the test tells them apart');
        const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize, maxFiles: 1_000 });
        await sink.write(batchOf(batch)); // one batch: the sink cuts it at every rotation point
        await sink.close();
        const files = numberedFiles(dir);
        assert.equal(files.length, expected.length);
        assert.equal(fs.statSync(files[0] as string).size, maxSize);
        files.forEach((file, index) => {
          const want = concat(expected[index] as Uint8Array[]);
          assert.equal(fs.statSync(file).size, want.length, file);
          assert.deepEqual(fs.readFileSync(file), want, file);
        });
        assert.equal(sink.stats.currentSize, concat(expected[expected.length - 1] as Uint8Array[]).length);
        assert.equal(sink.stats.rotations, expected.length - 1);
      }),
    );

    t.test('across many small writes, one byte under the fit: each file holds one record fewer', () =>
      inDir(async (dir) => {
        const batch = await ringEntries(60);
        const lines = lineBytes(batch);
        const maxSize = (lines[0]?.length ?? 0) + (lines[1]?.length ?? 0) + (lines[2]?.length ?? 0) - 1;
        const expected = expectedFiles(lines, maxSize);
        assert.equal(expected[0]?.length, 2);
        const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize, maxFiles: 1_000 });
        for (let index = 0; index < batch.length; index += 7) await sink.write(batchOf(batch.slice(index, index + 7)));
        await sink.close();
        const files = numberedFiles(dir);
        assert.deepEqual(
          files.map((file) => fs.readFileSync(file)),
          expected.map(concat),
        );
        for (const file of files) assert.ok(fs.statSync(file).size <= maxSize);
      }),
    );

    t.test("a custom formatter rotates on its own lines' bytes", () =>
      inDir(async (dir) => {
        const batch = await ringEntries(30);
        const format = (entry: LogEntry): string => `⟨${String(entry.record['n'])}⟩ ${entry.record.msg}`;
        const lines = batch.map((entry) => encoder.encode(`${format(entry)}\n`));
        const maxSize = (lines[0]?.length ?? 0) + (lines[1]?.length ?? 0);
        const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize, maxFiles: 1_000, format });
        await sink.write(batchOf(batch));
        await sink.close();
        assert.deepEqual(
          numberedFiles(dir).map((file) => fs.readFileSync(file)),
          expectedFiles(lines, maxSize).map(concat),
        );
      }),
    );

    t.test('time trigger only: currentSize counts bytes, not characters', () =>
      inDir(async (dir) => {
        const batch = await ringEntries(12);
        const clock = manualClock(Date.UTC(2026, 0, 1, 10, 15));
        const sink = rotatingFileSink({ path: join(dir, 'app.log'), interval: 'hourly', utc: true, clock: clock.now });
        await sink.write(batchOf(batch));
        await sink.flush();
        assert.equal(sink.stats.currentSize, concat(lineBytes(batch)).length);
        assert.equal(sink.stats.currentSize, fs.statSync(join(dir, 'app.log')).size);
        await sink.close();
      }),
    );
  });
}
