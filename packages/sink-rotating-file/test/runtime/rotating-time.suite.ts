import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { makeEntries, waitFor } from '@tributary/core/testing';
import { batchOf } from '@tributary/core/sink';
import type { TestApi } from '@tributary/core/testing';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import { fileLines, inDir, manualClock } from './helpers.ts';

const lines = (entries: readonly { line: string }[]): string[] => entries.map((entry) => entry.line);

export default function suite(t: TestApi): void {
  t.describe('rotatingFileSink by time', () => {
    for (const utc of [true, false]) {
      const at = (day: number, hour: number, minute = 0, second = 0, ms = 0): number =>
        utc ? Date.UTC(2026, 10, day, hour, minute, second, ms) : new Date(2026, 10, day, hour, minute, second, ms).getTime();
      const zone = utc ? 'UTC' : 'local time';

      t.test(`daily, ${zone}: a faked midnight moves the day's records to app.log-YYYYMMDD`, () =>
        inDir(async (dir, path) => {
          const clock = manualClock(at(26, 23, 59, 59, 500));
          const entries = makeEntries(20);
          const sink = rotatingFileSink({ path, interval: 'daily', utc, clock: clock.now });
          await sink.write(batchOf(entries.slice(0, 10)));
          clock.set(at(26, 23, 59, 59, 999));
          await sink.write(batchOf(entries.slice(10, 12)));
          clock.set(at(27, 0, 0, 0, 100));
          await sink.write(batchOf(entries.slice(12)));
          await sink.close();
          assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log-20261126']);
          assert.deepEqual(fileLines(`${path}-20261126`), lines(entries.slice(0, 12)));
          assert.deepEqual(fileLines(path), lines(entries.slice(12)));
        }),
      );

      t.test(`hourly, ${zone}: files are named for the start of their hour`, () =>
        inDir(async (dir, path) => {
          const clock = manualClock(at(26, 10, 59, 59));
          const entries = makeEntries(9);
          const sink = rotatingFileSink({ path, interval: 'hourly', utc, clock: clock.now, maxFiles: 10 });
          for (const [index, time] of [at(26, 10, 59, 59), at(26, 11, 0, 1), at(26, 23, 30)].entries()) {
            clock.set(time);
            await sink.write(batchOf(entries.slice(index * 3, index * 3 + 3)));
          }
          await sink.close();
          assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log-2026112610', 'app.log-2026112611']);
          assert.deepEqual(fileLines(`${path}-2026112610`), lines(entries.slice(0, 3)));
          assert.deepEqual(fileLines(`${path}-2026112611`), lines(entries.slice(3, 6)));
          assert.deepEqual(fileLines(path), lines(entries.slice(6)));
        }),
      );

      t.test(`daily, ${zone}: no writes for a whole interval leaves no file for it`, () =>
        inDir(async (dir, path) => {
          const clock = manualClock(at(26, 12));
          const entries = makeEntries(8);
          const sink = rotatingFileSink({ path, interval: 'daily', utc, clock: clock.now });
          await sink.write(batchOf(entries.slice(0, 4)));
          clock.set(at(28, 9));
          await sink.write(batchOf(entries.slice(4)));
          await sink.close();
          assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log-20261126']);
          assert.deepEqual(fileLines(`${path}-20261126`), lines(entries.slice(0, 4)));
          assert.deepEqual(fileLines(path), lines(entries.slice(4)));
        }),
      );
    }

    const utcAt = (day: number, hour: number, minute = 0, second = 0): number => Date.UTC(2026, 10, day, hour, minute, second);

    t.test('the interval timer rotates at the boundary without any write', () =>
      inDir(async (dir, path) => {
        const clock = manualClock(utcAt(26, 23, 59, 59));
        const entries = makeEntries(5);
        const sink = rotatingFileSink({ path, interval: 'daily', utc: true, clock: clock.now });
        try {
          await sink.write(batchOf(entries));
          await sink.flush();
          clock.set(utcAt(27, 0, 0, 1));
          await waitFor(() => fs.existsSync(`${path}-20261126`), 'the timer to rotate');
          assert.deepEqual(fileLines(`${path}-20261126`), lines(entries));
          assert.equal(fs.statSync(path).size, 0);
        } finally {
          await sink.close();
        }
        assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log-20261126']);
      }),
    );

    t.test('size and time together: parts of one day are app.log-DAY, app.log-DAY.1, …, in order', () =>
      inDir(async (dir, path) => {
        const clock = manualClock(utcAt(26, 8));
        const entries = makeEntries(120);
        const sink = rotatingFileSink({ path, interval: 'daily', utc: true, maxSize: 4_000, maxFiles: 100, clock: clock.now });
        for (let index = 0; index < 100; index += 10) await sink.write(batchOf(entries.slice(index, index + 10)));
        clock.set(utcAt(27, 8));
        await sink.write(batchOf(entries.slice(100)));
        await sink.close();
        const parts = fs
          .readdirSync(dir)
          .filter((name) => name.startsWith('app.log-20261126'))
          .sort((a, b) => Number(a.split('.')[2] ?? 0) - Number(b.split('.')[2] ?? 0));
        assert.ok(parts.length >= 3, parts.join(' '));
        assert.equal(parts[0], 'app.log-20261126');
        for (const part of parts) assert.ok(fs.statSync(join(dir, part)).size <= 4_000);
        assert.deepEqual(
          parts.flatMap((part) => fileLines(join(dir, part))),
          lines(entries.slice(0, 100)),
        );
        assert.deepEqual(fileLines(path), lines(entries.slice(100)));
      }),
    );

    t.test('a restart the next day archives the old file under the day it was written', () =>
      inDir(async (dir, path) => {
        const entries = makeEntries(6);
        fs.writeFileSync(path, `${lines(entries.slice(0, 3)).join('\n')}\n`);
        fs.utimesSync(path, new Date(utcAt(26, 15)), new Date(utcAt(26, 15)));
        const sink = rotatingFileSink({ path, interval: 'daily', utc: true, clock: () => utcAt(27, 9) });
        await sink.write(batchOf(entries.slice(3)));
        await sink.close();
        assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log-20261126']);
        assert.deepEqual(fileLines(`${path}-20261126`), lines(entries.slice(0, 3)));
        assert.deepEqual(fileLines(path), lines(entries.slice(3)));
      }),
    );

    t.test('maxFiles and maxAge prune dated files by their names; compress gzips them', () =>
      inDir(async (dir, path) => {
        const clock = manualClock(utcAt(1, 12));
        const sink = rotatingFileSink({ path, interval: 'daily', utc: true, clock: clock.now, maxFiles: 4, maxAge: 2.5 * 86_400_000, compress: true });
        const entries = makeEntries(10);
        for (let day = 1; day <= 10; day++) {
          clock.set(utcAt(day, 12));
          await sink.write(batchOf(entries.slice(day - 1, day)));
        }
        await sink.close();
        assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log-20261108.gz', 'app.log-20261109.gz']);
        assert.deepEqual(fileLines(`${path}-20261108.gz`), lines(entries.slice(7, 8)));
        assert.deepEqual(fileLines(path), lines(entries.slice(9)));
      }),
    );
  });
}
