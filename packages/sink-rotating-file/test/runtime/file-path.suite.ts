import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestApi } from '@tributary/core/testing';
import { LogPathError, fileSink } from '@tributary/sink-file';
import { rotatingFileSink } from '@tributary/sink-rotating-file';

/** Paths a log file cannot have: each factory must throw at once, naming the system error code. */
export default function suite(t: TestApi): void {
  const factories = [
    ['fileSink', (path: string) => fileSink({ path })],
    ['rotatingFileSink', (path: string) => rotatingFileSink({ path, maxSize: 1024 })],
  ] as const;
  t.describe('a log path that cannot be created fails at configuration time', () => {
    for (const [name, create] of factories) {
      const expectFailure = (path: string, code: string): void => {
        assert.throws(
          () => create(path),
          (error: unknown) => {
            assert.ok(error instanceof LogPathError, `a LogPathError, got ${String(error)}`);
            assert.equal(error.code, code);
            assert.match(error.message, new RegExp(`^${name}: cannot log to .*\\(${code}\\)$`));
            return true;
          },
        );
      };

      t.test(`${name}: a folder under a regular file (ENOTDIR)`, () => {
        const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-path-'));
        try {
          fs.writeFileSync(join(dir, 'plain'), 'x');
          expectFailure(join(dir, 'plain', 'deeper', 'app.log'), 'ENOTDIR');
          expectFailure(join(dir, 'plain', 'app.log'), 'ENOTDIR');
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });

      t.test(`${name}: a path that is a folder (EISDIR)`, () => {
        const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-path-'));
        try {
          fs.mkdirSync(join(dir, 'app.log'));
          expectFailure(join(dir, 'app.log'), 'EISDIR');
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });

      t.test(`${name}: a folder under /proc returns at once (no endless recursive mkdir)`, () => {
        if (!fs.existsSync('/proc/self')) return;
        expectFailure('/proc/nope/app.log', 'ENOENT');
        expectFailure('/proc/nope/deeper/app.log', 'ENOENT');
      });

      t.test(`${name}: missing folders are still created`, async () => {
        const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-path-'));
        try {
          const sink = create(join(dir, 'a', 'b', 'app.log'));
          await sink.close();
          assert.ok(fs.statSync(join(dir, 'a', 'b')).isDirectory());
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      });
    }
  });
}
