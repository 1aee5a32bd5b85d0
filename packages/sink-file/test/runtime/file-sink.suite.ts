import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { checkOutput, makeEntries, runSinkConformance, splitLines, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { FileSinkFullError, fileSink, nodeFileDriver } from '@tributary/sink-file';
import type { FileDriver, FileSinkReport } from '@tributary/sink-file';

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
        await sink.write(makeEntries(3));
        await sink.close();
        assert.equal(readLines(path).length, 3);
        assert.equal(fs.statSync(path).mode & 0o777, 0o640 & ~process.umask());
        const other = fileSink({ path: join(dir, 'private.log'), mode: 0o600 });
        await other.write(makeEntries(1));
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
        await sink.write(entries);
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
        await sink.write(makeEntries(5));
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
        await sink.write(entries.slice(0, 100));
        fs.renameSync(path, `${path}.1`);
        await sink.write(entries.slice(100, 150));
        await sink.reopen();
        await sink.write(entries.slice(150));
        await sink.close();
        assert.deepEqual(readLines(`${path}.1`), entries.slice(0, 150).map((entry) => entry.line));
        assert.deepEqual(readLines(path), entries.slice(150).map((entry) => entry.line));
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
        await sink.write(entries.slice(0, 10));
        await sink.flush();
        fs.rmSync(join(dir, 'logs'), { recursive: true });
        await sink.reopen();
        await sink.write(entries.slice(10));
        await sink.close();
        assert.deepEqual(readLines(path), entries.slice(10).map((entry) => entry.line));
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
        await sink.write(entries.slice(0, 10));
        await sink.flush();
        fs.renameSync(path, `${path}.old`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        await sink.write(entries.slice(10, 20));
        await sink.flush();
        assert.deepEqual(readLines(`${path}.old`), entries.slice(0, 10).map((entry) => entry.line));
        assert.deepEqual(readLines(path), entries.slice(10, 20).map((entry) => entry.line));
        fs.rmSync(join(dir, 'logs'), { recursive: true });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await sink.write(entries.slice(20));
        await sink.close();
        assert.deepEqual(readLines(path), entries.slice(20).map((entry) => entry.line), 'the folder is recreated');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('ENOSPC: reported once, retried by policy, nothing lost once the disk has room', async () => {
      const dir = tempDir();
      let full = false;
      const reports: FileSinkReport[] = [];
      const driver = flakyDriver(() => full, 'ENOSPC');
      const path = join(dir, 'app.log');
      const sink = fileSink({ path, driver, retryInterval: 20, bufferSize: 1024, onReport: (report) => reports.push(report) });
      try {
        const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: () => {} });
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
        assert.deepEqual(reports.map((report) => report.kind), ['write-failed', 'recovered'], 'one report per episode');
        assert.match(reports[0]?.message ?? '', /ENOSPC/);
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
      const reports: FileSinkReport[] = [];
      const sink = fileSink({ path, driver, retryInterval: 20, onReport: (report) => reports.push(report) });
      try {
        const entries = makeEntries(100);
        await sink.write(entries.slice(0, 50));
        await sink.flush();
        fs.closeSync(fds[0] as number);
        await sink.write(entries.slice(50));
        await sink.flush().catch(() => {});
        await waitFor(() => !sink.stats.failing, 'the sink to reopen');
        await sink.close();
        assert.deepEqual(readLines(path), entries.map((entry) => entry.line));
        assert.equal(reports[0]?.kind, 'write-failed');
        assert.match(reports[0]?.message ?? '', /EBADF/);
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
      const reports: FileSinkReport[] = [];
      const sink = fileSink({ path, driver, retryInterval: 20, bufferSize: 4096, maxBufferSize: 8192, onReport: (report) => reports.push(report) });
      try {
        const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: () => {} });
        const logger = listener.logger({ producer: 'p' });
        for (let index = 0; index < 2_000; index++) logger.info('denied', { index });
        await listener.flush();
        assert.ok(sink.stats.pendingChars <= 8192 + 4096 * 200, 'memory stays bounded');
        const failedSoFar = listener.stats.sinks[0]?.failed ?? 0;
        assert.ok(failedSoFar > 0, 'batches beyond maxBufferSize are refused and counted');
        denied = false;
        await waitFor(() => !sink.stats.failing, 'the retry to succeed');
        logger.info('after');
        const summary = await listener.stop();
        const check = checkOutput(readLines(path));
        const written = check.producers.get('p')?.count ?? 0;
        assert.equal(written + (summary.sinks[0]?.failed ?? 0), 2_001, 'every record is either written or counted as failed');
        assert.equal(check.duplicated + check.outOfOrder + check.torn, 0);
        const dropped = check.notices.get('tributary.dropped') ?? [];
        assert.equal(dropped.reduce((sum, notice) => sum + Number(notice['writeFailed']), 0), summary.sinks[0]?.failed, 'the loss is written to the file');
        assert.deepEqual(reports.map((report) => report.kind), ['write-failed', 'recovered']);
      } finally {
        await sink.close().catch(() => {});
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('a file that never works: write refuses with FileSinkFullError, close reports what it gave up', async () => {
      const dir = tempDir();
      const driver = flakyDriver(() => true, 'ENOSPC');
      const reports: FileSinkReport[] = [];
      const sink = fileSink({ path: join(dir, 'app.log'), driver, bufferSize: 100, maxBufferSize: 1000, retryInterval: 5_000, onReport: (report) => reports.push(report) });
      try {
        const entries = makeEntries(40);
        let refused: unknown;
        try {
          for (const entry of entries) await sink.write([entry]);
        } catch (error) {
          refused = error;
        }
        assert.ok(refused instanceof FileSinkFullError);
        await assert.rejects(sink.flush(), /ENOSPC/);
        await assert.rejects(sink.close(), /could not write/);
        assert.ok(sink.stats.lostBytes > 0);
        assert.deepEqual(reports.map((report) => report.kind), ['write-failed', 'lost']);
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
    });
  });
}
