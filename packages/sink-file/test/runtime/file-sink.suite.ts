import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { batchOf } from '@tributary/core/sink';
import { checkOutput, makeEntries, memorySink, recordingSinkContext, runSinkConformance, splitLines, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { fileSink, nodeFileDriver } from '@tributary/sink-file';
import type { FileDriver } from '@tributary/sink-file';

function tempDir(): string {
  return fs.mkdtempSync(join(tmpdir(), 'tributary-file-'));
}

function readLines(path: string): string[] {
  return fs.existsSync(path) ? splitLines(fs.readFileSync(path, 'utf8')) : [];
}

/** A driver whose writes fail with `code` while `failing()` says so. */
function flakyDriver(failing: () => boolean, code: string): FileDriver & { attempts: number } {
  const driver = {
    ...nodeFileDriver,
    /** Failed calls. */
    attempts: 0,
    writeText(fd: number, text: string): number {
      if (failing() && ++driver.attempts > 0) throw Object.assign(new Error(`${code}: simulated`), { code });
      return nodeFileDriver.writeText(fd, text);
    },
    write(fd: number, data: Uint8Array, offset: number, length: number): number {
      if (failing() && ++driver.attempts > 0) throw Object.assign(new Error(`${code}: simulated`), { code });
      return nodeFileDriver.write(fd, data, offset, length);
    },
  };
  return driver;
}

export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'fileSink',
    create: () => {
      const dir = tempDir();
      const path = join(dir, 'app.log');
      return { sink: fileSink({ path }), readBack: async () => readLines(path), cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  });

  t.describe('fileSink', () => {
    t.test('creates parent folders and new files with mode 0o640 by default, or the mode given', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'a', 'b', 'app.log');
        const sink = fileSink({ path });
        await sink.write(batchOf(makeEntries(3)));
        await sink.close();
        assert.equal(readLines(path).length, 3);
        assert.equal(fs.statSync(path).mode & 0o777, 0o640 & ~process.umask());
        const other = fileSink({ path: join(dir, 'private.log'), mode: 0o600 });
        await other.write(batchOf(makeEntries(1)));
        await other.close();
        assert.equal(fs.statSync(join(dir, 'private.log')).mode & 0o777, 0o600);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('appends to an existing file and writes canonical lines as they are', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        fs.writeFileSync(path, 'existing\n');
        const entries = makeEntries(10);
        const sink = fileSink({ path });
        await sink.write(batchOf(entries));
        await sink.close();
        assert.deepEqual(readLines(path), ['existing', ...entries.map((entry) => entry.line)]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('the flush interval writes buffered records without a flush call', async () => {
      const dir = tempDir();
      const path = join(dir, 'app.log');
      const sink = fileSink({ path, flushInterval: 20 });
      try {
        await sink.write(batchOf(makeEntries(5)));
        await waitFor(() => readLines(path).length === 5, 'the timer to write 5 records');
      } finally {
        await sink.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('reopen() after a rename: earlier records stay in the renamed file, later ones go to a new file', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'app.log');
        const entries = makeEntries(200);
        const sink = fileSink({ path, watchInterval: 0 });
        await sink.write(batchOf(entries.slice(0, 100)));
        fs.renameSync(path, `${path}.1`);
        await sink.write(batchOf(entries.slice(100, 150)));
        await sink.reopen();
        await sink.write(batchOf(entries.slice(150)));
        await sink.close();
        assert.deepEqual(
          readLines(`${path}.1`),
          entries.slice(0, 150).map((entry) => entry.line),
        );
        assert.deepEqual(
          readLines(path),
          entries.slice(150).map((entry) => entry.line),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('a deleted folder is recreated on reopen and writing goes on', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'logs', 'app.log');
        const entries = makeEntries(20);
        const sink = fileSink({ path, watchInterval: 0 });
        await sink.write(batchOf(entries.slice(0, 10)));
        await sink.flush();
        fs.rmSync(join(dir, 'logs'), { recursive: true });
        await sink.reopen();
        await sink.write(batchOf(entries.slice(10)));
        await sink.close();
        assert.deepEqual(
          readLines(path),
          entries.slice(10).map((entry) => entry.line),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('watchInterval: a rename or a deleted folder is noticed at the next write, without reopen()', async () => {
      const dir = tempDir();
      try {
        const path = join(dir, 'logs', 'app.log');
        const entries = makeEntries(30);
        const sink = fileSink({ path, watchInterval: 1 });
        await sink.write(batchOf(entries.slice(0, 10)));
        await sink.flush();
        fs.renameSync(path, `${path}.old`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await sink.write(batchOf(entries.slice(10, 20)));
        await sink.flush();
        assert.deepEqual(
          readLines(`${path}.old`),
          entries.slice(0, 10).map((entry) => entry.line),
        );
        assert.deepEqual(
          readLines(path),
          entries.slice(10, 20).map((entry) => entry.line),
        );
        fs.rmSync(join(dir, 'logs'), { recursive: true });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await sink.write(batchOf(entries.slice(20)));
        await sink.close();
        assert.deepEqual(
          readLines(path),
          entries.slice(20).map((entry) => entry.line),
          'the folder is recreated',
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('ENOSPC: reported once, retried by policy, nothing lost once the disk has room', async () => {
      const dir = tempDir();
      let full = false;
      const reports: string[] = [];
      const driver = flakyDriver(() => full, 'ENOSPC');
      const path = join(dir, 'app.log');
      const sink = fileSink({ path, driver, retryInterval: 20, bufferSize: 1024 });
      try {
        const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: (report) => reports.push(report.message) });
        const logger = listener.logger({ producer: 'p' });
        for (let index = 0; index < 100; index++) logger.info('before', { index });
        assert.equal(await listener.flush(), true);
        full = true;
        for (let index = 0; index < 300; index++) logger.info('during', { index });
        await waitFor(() => driver.attempts >= 5 && sink.stats.failing, 'several failed attempts');
        full = false;
        await waitFor(() => !sink.stats.failing, 'the retry to succeed');
        for (let index = 0; index < 100; index++) logger.info('after', { index });
        const summary = await listener.stop();
        const check = checkOutput(readLines(path));
        assert.equal(check.producers.get('p')?.count, 500);
        assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn, 0);
        assert.equal(reports.length, 1, `one report per episode: ${reports.join(' | ')}`);
        assert.match(reports[0] ?? '', /failed to deliver 0 records: .*ENOSPC/);
        assert.ok(sink.stats.writeErrors >= 5, `${sink.stats.writeErrors} write errors counted`);
        assert.equal(sink.stats.failures, 1);
        assert.equal(summary.sinks[0]?.failed, 0);
      } finally {
        await sink.close().catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('EBADF (descriptor closed behind its back): reopened, nothing lost', async () => {
      const dir = tempDir();
      const fds: number[] = [];
      const driver: FileDriver = {
        ...nodeFileDriver,
        openAppend: (path, mode) => {
          const fd = nodeFileDriver.openAppend(path, mode);
          fds.push(fd);
          return fd;
        },
      };
      const path = join(dir, 'app.log');
      const context = recordingSinkContext();
      const sink = fileSink({ path, driver, retryInterval: 20 });
      sink.open?.(context);
      try {
        const entries = makeEntries(100);
        await sink.write(batchOf(entries.slice(0, 50)));
        await sink.flush();
        fs.closeSync(fds[0] as number);
        await sink.write(batchOf(entries.slice(50)));
        await sink.flush().catch(() => {});
        await waitFor(() => !sink.stats.failing, 'the sink to reopen');
        await sink.close();
        assert.deepEqual(
          readLines(path),
          entries.map((entry) => entry.line),
        );
        assert.equal(context.failures.length, 1);
        assert.match(String(context.failures[0]?.error), /EBADF/);
        assert.deepEqual(
          context.notices.map((notice) => notice.event),
          ['tributary.recovered'],
        );
      } finally {
        await sink.close().catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('EACCES on open: the application goes on, records wait (bounded), then arrive', async () => {
      const dir = tempDir();
      let denied = true;
      const driver: FileDriver = {
        ...nodeFileDriver,
        openAppend: (path, mode) => {
          if (denied) throw Object.assign(new Error('EACCES: permission denied (simulated)'), { code: 'EACCES' });
          return nodeFileDriver.openAppend(path, mode);
        },
      };
      const path = join(dir, 'app.log');
      const reports: string[] = [];
      const sink = fileSink({ path, driver, retryInterval: 20, bufferSize: 4096, maxBufferSize: 200_000 });
      try {
        const neighbour = memorySink('neighbour');
        const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: (report) => reports.push(report.message) });
        const logger = listener.logger({ producer: 'p' });
        for (let index = 0; index < 2_000; index++) logger.info('denied', { index });
        await listener.flush();
        assert.ok(sink.stats.pendingBytes > 0 && sink.stats.pendingBytes <= 200_000, 'records wait, memory stays bounded');
        const droppedSoFar = listener.stats.sinks[0]?.dropped ?? 0;
        assert.ok(droppedSoFar > 0, 'batches beyond maxBufferSize are dropped and counted');
        assert.equal(sink.stats.dropped, droppedSoFar, 'the sink and the listener count the same drops');
        denied = false;
        await waitFor(() => !sink.stats.failing, 'the retry to succeed');
        logger.info('after');
        const summary = await listener.stop();
        const check = checkOutput(readLines(path));
        const written = check.producers.get('p')?.count ?? 0;
        assert.equal(written + (summary.sinks[0]?.dropped ?? 0), 2_001, 'every record is either written or counted as dropped');
        assert.equal(summary.sinks[0]?.failed, 0);
        assert.equal(check.duplicated + check.outOfOrder + check.torn, 0);
        const dropped = neighbour.entries.filter((entry) => entry.record.msg === 'tributary.dropped');
        assert.equal(
          dropped.reduce((sum, entry) => sum + Number(entry.record['dropped']), 0),
          summary.sinks[0]?.dropped,
          'the loss is reported to the other sink',
        );
        assert.ok(
          reports.some((line) => /failed to deliver 0 records: .*EACCES/.test(line)),
          reports.join(' | '),
        );
        assert.ok(
          neighbour.entries.some((entry) => entry.record['event'] === 'tributary.recovered'),
          'the recovery is reported to the other sink',
        );
      } finally {
        await sink.close().catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('a file that never works: write drops beyond the bound, close reports what it gave up, every record counted', async () => {
      const dir = tempDir();
      const driver = flakyDriver(() => true, 'ENOSPC');
      const context = recordingSinkContext();
      const sink = fileSink({ path: join(dir, 'app.log'), driver, bufferSize: 100, maxBufferSize: 1000, retryInterval: 5_000 });
      sink.open?.(context);
      try {
        const entries = makeEntries(40);
        for (const entry of entries) await sink.write(batchOf([entry]));
        assert.ok(context.droppedRecords > 0, 'records beyond maxBufferSize are dropped, not thrown');
        const waiting = sink.stats.pendingRecords;
        assert.equal(waiting + context.droppedRecords, 40);
        await assert.rejects(sink.flush(), /ENOSPC/);
        await sink.close();
        assert.ok(sink.stats.lostBytes > 0);
        assert.equal(context.drops.at(-1)?.records, waiting, 'close reports the records it gave up');
        assert.match(context.drops.at(-1)?.reason ?? '', /could not write/);
        assert.deepEqual([sink.stats.written, sink.stats.dropped, sink.stats.pendingRecords], [0, 40, 0]);
        assert.equal(context.failures.length, 1);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('bad options throw at configuration time', () => {
      assert.throws(() => fileSink({ path: '' }), /path/);
      assert.throws(() => fileSink({ path: 'x.log', bufferSize: 0 }), /bufferSize/);
      assert.throws(() => fileSink({ path: 'x.log', mode: 0o10000 }), /mode/);
      assert.throws(() => fileSink({ path: 'x.log', bufferSize: 100, maxBufferSize: 10 }), /maxBufferSize/);
      assert.throws(() => fileSink({ path: 'x.log', driver: {} as FileDriver }), /driver/);
      assert.throws(() => fileSink({ path: 'x.log', watchInterval: -1 }), /watchInterval/);
      assert.throws(
        () => fileSink({ path: 'x.log', bufferSize: 1.5 }),
        (error: unknown) => error instanceof RangeError && error.message === 'fileSink: bufferSize must be an integer ≥ 1; got 1.5',
      );
      assert.throws(
        () => fileSink({ path: 'x.log', fsync: 'yes' as unknown as boolean }),
        (error: unknown) => error instanceof TypeError && /fileSink: fsync must be true or false; got "yes"/.test(error.message),
      );
      assert.throws(() => fileSink({ path: 'x.log', format: 'json' as never }), /fileSink: format must be a function/);
    });
  });
}
