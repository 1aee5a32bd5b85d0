import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { checkOutput, makeEntries, recordingSinkContext, runSinkConformance, waitFor } from '@tributary/core/testing';
import { batchOf } from '@tributary/core/sink';
import type { TestApi } from '@tributary/core/testing';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import { fileLines, linesAcross, numberedFiles, tempDir } from './helpers.ts';

export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'rotatingFileSink',
    create: () => {
      const dir = tempDir();
      const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize: 64 * 1024, maxFiles: 1_000 });
      return { sink, readBack: async () => linesAcross(numberedFiles(dir)), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  });

  t.describe('rotatingFileSink by size', () => {
    t.test(
      '4 producers × 50,000 records, maxSize 256 KiB: each record once, per-producer order across files, no file over maxSize',
      async () => {
        const dir = tempDir();
        try {
          const maxSize = 256 * 1024;
          const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize, maxFiles: 10_000 });
          const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
          const producers = ['p1', 'p2', 'p3', 'p4'].map((producer) => listener.logger({ producer }));
          for (let index = 0; index < 50_000; index++) {
            for (const logger of producers) logger.info('request handled', { index, route: '/api/items', ok: true });
            if (index % 5_000 === 4_999) await new Promise((resolve) => setTimeout(resolve, 0));
          }
          const summary = await listener.stop();
          assert.equal(summary.timedOut, false);
          const files = numberedFiles(dir);
          assert.ok(files.length > 100, `expected many rotated files, got ${files.length}`);
          const largest = Math.max(...files.map((file) => fs.statSync(file).size));
          assert.ok(largest <= maxSize, `largest file ${largest} bytes exceeds maxSize ${maxSize}`);
          const check = checkOutput(linesAcross(files));
          for (const producer of ['p1', 'p2', 'p3', 'p4']) assert.equal(check.producers.get(producer)?.count, 50_000, producer);
          assert.equal(check.torn + check.missing + check.duplicated + check.outOfOrder, 0);
          assert.equal(check.records, 200_000);
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
      120_000,
    );

    t.test('a record larger than maxSize gets a file of its own; others never exceed maxSize', async () => {
      const dir = tempDir();
      try {
        const entries = makeEntries(30);
        const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize: 400, maxFiles: 100 });
        await sink.write(batchOf(entries));
        await sink.close();
        const files = numberedFiles(dir);
        for (const file of files) {
          const lines = fileLines(file);
          assert.ok(lines.length >= 1);
          if (lines.length > 1) assert.ok(fs.statSync(file).size <= 400, `${file} holds ${lines.length} records in ${fs.statSync(file).size} bytes`);
        }
        assert.deepEqual(
          linesAcross(files),
          entries.map((entry) => entry.line),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('maxFiles keeps the newest backups with logrotate names; app.log is always current', async () => {
      const dir = tempDir();
      try {
        const entries = makeEntries(400);
        const sink = rotatingFileSink({ path: join(dir, 'app.log'), maxSize: 2_000, maxFiles: 3 });
        for (let index = 0; index < entries.length; index += 10) await sink.write(batchOf(entries.slice(index, index + 10)));
        await sink.close();
        assert.deepEqual(fs.readdirSync(dir).sort(), ['app.log', 'app.log.1', 'app.log.2', 'app.log.3']);
        const lines = linesAcross(numberedFiles(dir));
        const all = entries.map((entry) => entry.line);
        assert.deepEqual(lines, all.slice(all.length - lines.length), 'the kept files hold the newest records, in order');
        assert.equal(sink.stats.rotations > 3, true);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('a restart resumes: size and numbering are read from disk', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        const entries = makeEntries(100);
        const sizes: number[] = [];
        const first = rotatingFileSink({ path, maxSize: 3_000, maxFiles: 100 });
        await first.write(batchOf(entries.slice(0, 50)));
        await first.close();
        sizes.push(fs.statSync(path).size);
        const second = rotatingFileSink({ path, maxSize: 3_000, maxFiles: 100 });
        assert.equal(second.stats.currentSize, sizes[0]);
        await second.write(batchOf(entries.slice(50)));
        await second.close();
        const files = numberedFiles(dir);
        for (const file of files) assert.ok(fs.statSync(file).size <= 3_000);
        assert.deepEqual(
          linesAcross(files),
          entries.map((entry) => entry.line),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('pre-existing and externally deleted backups are handled', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        fs.writeFileSync(`${path}.1`, 'old one\n');
        fs.writeFileSync(`${path}.4`, 'old four\n');
        const entries = makeEntries(300);
        const sink = rotatingFileSink({ path, maxSize: 3_000, maxFiles: 50 });
        await sink.write(batchOf(entries.slice(0, 100)));
        fs.rmSync(`${path}.2`, { force: true });
        fs.rmSync(`${path}.3`, { force: true });
        await sink.write(batchOf(entries.slice(100, 200)));
        fs.rmSync(path);
        await sink.write(batchOf(entries.slice(200)));
        await sink.close();
        const lines = linesAcross(numberedFiles(dir));
        assert.equal(lines.filter((line) => line === 'old one' || line === 'old four').length, 2, 'old backups are shifted, not lost');
        const check = checkOutput(lines.filter((line) => line.startsWith('{')));
        assert.equal(check.duplicated + check.outOfOrder + check.torn, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('rotation never follows a symlink placed where a backup will be written', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        const victim = join(dir, 'victim.txt');
        fs.writeFileSync(victim, 'precious\n');
        fs.symlinkSync(victim, `${path}.1`);
        fs.symlinkSync(victim, `${path}.1.gz`);
        fs.symlinkSync(victim, `${path}.2.gz`);
        const entries = makeEntries(100);
        const sink = rotatingFileSink({ path, maxSize: 3_000, maxFiles: 100, compress: true });
        for (let index = 0; index < entries.length; index += 10) await sink.write(batchOf(entries.slice(index, index + 10)));
        await sink.close();
        assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
        const backups = numberedFiles(dir).filter((file) => fs.lstatSync(file).isFile());
        const check = checkOutput(linesAcross(backups));
        assert.equal(check.producers.get('p1')?.count, 100);
        assert.equal(check.duplicated + check.torn, 0);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('compress: rotated files become app.log.N.gz in the background, with every record', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        const entries = makeEntries(500);
        const sink = rotatingFileSink({ path, maxSize: 5_000, maxFiles: 1_000, compress: true });
        for (let index = 0; index < entries.length; index += 25) await sink.write(batchOf(entries.slice(index, index + 25)));
        await sink.close();
        const names = fs.readdirSync(dir);
        assert.ok(names.includes('app.log.3.gz'), names.join(' '));
        assert.ok(
          names.every((name) => name === 'app.log' || name.endsWith('.gz')),
          names.join(' '),
        );
        assert.deepEqual(
          linesAcross(numberedFiles(dir)),
          entries.map((entry) => entry.line),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('a compression error is reported and leaves the backup uncompressed', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        const context = recordingSinkContext();
        const { nodeRotationDriver } = await import('@tributary/sink-rotating-file');
        const driver = { ...nodeRotationDriver, compress: async () => Promise.reject(new Error('zlib exploded')) };
        const entries = makeEntries(60);
        const sink = rotatingFileSink({ path, maxSize: 3_000, compress: true, driver });
        sink.open?.(context);
        await sink.write(batchOf(entries));
        await sink.close();
        await waitFor(() => context.failures.length > 0, 'a report');
        assert.match(String(context.failures[0]?.error), /could not gzip .*zlib exploded/);
        assert.equal(context.failedRecords, 0, 'no record is lost with it');
        assert.deepEqual(
          linesAcross(numberedFiles(dir)),
          entries.map((entry) => entry.line),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('bad options throw at configuration time', () => {
      assert.throws(() => rotatingFileSink({ path: 'x.log' }), /maxSize, interval or both/);
      assert.throws(() => rotatingFileSink({ path: 'x.log', maxSize: 0 }), /maxSize/);
      assert.throws(() => rotatingFileSink({ path: 'x.log', interval: 'weekly' as 'daily' }), /interval/);
      assert.throws(() => rotatingFileSink({ path: 'x.log', maxSize: 10, maxFiles: -1 }), /maxFiles/);
    });
  });
}
