import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchOf } from '@tributary/core/sink';
import { makeEntries } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { LogPathError, fileSink } from '@tributary/sink-file';
import { memoryDriver } from './memory-driver.ts';

/** A real, empty folder: whatever the sink does must leave it empty when its driver is in memory. */
function emptyDir(): string {
  return fs.mkdtempSync(join(tmpdir(), 'tributary-driver-'));
}

/** The sink makes every file-system call through its driver, the configuration-time path check included. */
export default function suite(t: TestApi): void {
  t.describe('fileSink with a custom driver', () => {
    t.test('creating, writing and closing touch no real file: the driver sees every call', async () => {
      const dir = emptyDir();
      try {
        const driver = memoryDriver();
        const path = join(dir, 'a', 'b', 'app.log');
        const sink = fileSink({ path, driver });
        const configured = [...driver.calls];
        assert.deepEqual(configured, [`kindAt ${path}`, `makeDirectory ${join(dir, 'a', 'b')}`, `checkWritable ${join(dir, 'a', 'b')}`]);
        assert.ok(driver.folders.has(join(dir, 'a', 'b')), 'the folders were made in the driver');
        const entries = makeEntries(5);
        await sink.write(batchOf(entries));
        await sink.close();
        assert.deepEqual(fs.readdirSync(dir), [], 'nothing was created on the real disk');
        assert.equal(driver.textOf(path), entries.map((entry) => `${entry.line}\n`).join(''));
        assert.ok(driver.calls.some((call) => call.startsWith('openAppend ')));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('the path check reads the driver: a folder there is EISDIR, an unwritable folder EACCES', () => {
      const dir = emptyDir();
      try {
        const driver = memoryDriver();
        driver.makeDirectory(join(dir, 'app.log'));
        driver.makeDirectory(join(dir, 'locked'));
        driver.readOnly.add(join(dir, 'locked'));
        const codeOf = (path: string): string => {
          try {
            fileSink({ path, driver });
          } catch (error) {
            assert.ok(error instanceof LogPathError, `a LogPathError, got ${String(error)}`);
            return error.code;
          }
          return 'no error';
        };
        assert.equal(codeOf(join(dir, 'app.log')), 'EISDIR');
        assert.equal(codeOf(join(dir, 'locked', 'app.log')), 'EACCES');
        assert.equal(codeOf(join(dir, 'locked', 'deeper', 'app.log')), 'EACCES');
        assert.deepEqual(fs.readdirSync(dir), [], 'the real folder was never looked at or changed');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    t.test('a driver without the path-check methods is refused at configuration time', () => {
      const { kindAt: _kindAt, ...withoutKindAt } = memoryDriver();
      assert.throws(() => fileSink({ path: 'x.log', driver: withoutKindAt as never }), /fileSink: driver\.kindAt must be a function/);
      const { checkWritable: _checkWritable, ...withoutCheck } = memoryDriver();
      assert.throws(() => fileSink({ path: 'x.log', driver: withoutCheck as never }), /fileSink: driver\.checkWritable must be a function/);
    });
  });
}
