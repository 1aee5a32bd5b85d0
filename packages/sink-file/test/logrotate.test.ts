import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { checkOutput, splitLines, waitFor } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';
import { repoRoot as root, runtimeCommands as runtimes } from '../../../tooling/runtime-tests/runtimes.ts';
import { systemDaemon } from '../../../tooling/runtime-tests/system-daemon.ts';

// Real logrotate (the Debian package that .ci/run installs) rotating a file while a listener writes.
// Skipped with one line when logrotate is missing, except under CI=true, where that is an error.
const logrotateBinary = systemDaemon({ binary: 'logrotate', install: 'apt-get install -y logrotate' });

function logrotate(dir: string, body: string): Promise<number | null> {
  const conf = join(dir, 'logrotate.conf');
  fs.writeFileSync(conf, `${join(dir, 'app.log')} {\n${body}\n}\n`, { mode: 0o644 });
  return new Promise((done, fail) => {
    const child = spawn(logrotateBinary.path as string, ['-f', '-s', join(dir, 'logrotate.state'), conf], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => done(code));
  });
}

function lines(path: string): string[] {
  return fs.existsSync(path) ? splitLines(fs.readFileSync(path, 'utf8')) : [];
}

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}

function outputOf(child: ChildProcess): { text: string } {
  const out = { text: '' };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => (out.text += chunk));
  return out;
}

describe.skipIf(logrotateBinary.skip)('real logrotate', () => {
  test('copytruncate while writing: no NUL bytes, every line whole, no record twice', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-logrotate-'));
    try {
      const path = join(dir, 'app.log');
      const listener = new QueueListener({ sinks: [fileSink({ path, flushInterval: 2 })], drainOnExit: false });
      const logger = listener.logger({ producer: 'w' });
      let rotating = true;
      for (let index = 0; index < 2_000; index++) logger.info('before', { index });
      await listener.flush();
      const rotation = logrotate(dir, 'copytruncate\nrotate 3').finally(() => (rotating = false));
      let extra = 0;
      while (rotating || extra++ < 20) {
        for (let index = 0; index < 100; index++) logger.info('during', { index });
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect(await rotation).toBe(0);
      await listener.stop();
      for (const file of [path, `${path}.1`]) {
        const bytes = fs.readFileSync(file);
        expect(bytes.includes(0), `${file} has NUL bytes`).toBe(false);
      }
      // logrotate's copy reads while the sink appends, and Linux does not make a read atomic with a
      // write: the copy may end inside a record, whose whole line the truncation then removes. That
      // cut belongs to copytruncate (the README says so); it can only be the last line of the copy.
      const copied = lines(`${path}.1`);
      if (copied.length > 0 && !isJson(copied[copied.length - 1] as string)) copied.pop();
      const check = checkOutput([...copied, ...lines(path)]);
      expect(check.torn).toBe(0);
      expect(check.duplicated + check.outOfOrder).toBe(0);
      expect(lines(path).length, 'records after the truncate are in app.log').toBeGreaterThan(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  for (const [runtime, command, args] of runtimes) {
    test(`rename + create + postrotate SIGHUP (${runtime} writer): reopened, zero records lost`, async () => {
      const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-logrotate-'));
      const path = join(dir, 'app.log');
      const child = spawn(command, [...args, join(import.meta.dirname, 'fixtures', 'sighup-writer.mjs'), path], {
        cwd: root,
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      try {
        const out = outputOf(child);
        await waitFor(() => out.text.includes('phase1'), `the ${runtime} writer to start`, 30_000);
        expect(await logrotate(dir, `rotate 3\ncreate 0640\npostrotate\n  kill -HUP ${child.pid}\nendscript`)).toBe(0);
        await waitFor(() => lines(path).length > 100, 'records in the new app.log after SIGHUP', 30_000);
        child.stdin?.write('stop\n');
        await waitFor(() => /done \d+/.test(out.text), 'the writer to finish', 30_000);
        const last = Number(/done (\d+)/.exec(out.text)?.[1]);
        const rotated = lines(`${path}.1`);
        expect(rotated.length).toBeGreaterThanOrEqual(5_000);
        const check = checkOutput([...rotated, ...lines(path)]);
        expect(check.producers.get('writer')?.count).toBe(last);
        expect(check.torn + check.missing + check.duplicated + check.outOfOrder).toBe(0);
      } finally {
        child.kill('SIGKILL');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
