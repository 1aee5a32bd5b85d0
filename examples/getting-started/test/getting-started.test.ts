/**
 * The root README's "Getting started" runs for real (packages built first): `app.mjs` is started on
 * port 0, its worker logs into the same listener, one HTTP request is served, then Ctrl-C (SIGINT)
 * stops it. The pretty output on stdout and the JSON lines in `app.log` must both hold every record.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, test } from 'vitest';

const here = resolve(import.meta.dirname, '..');
const root = resolve(here, '../..');
const cwd = mkdtempSync(join(tmpdir(), 'tributary-getting-started-'));
let child: ChildProcess | undefined;
afterAll(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(cwd, { recursive: true, force: true });
});

/** Resolves once `condition()` holds, checked whenever the child writes; rejects after `timeoutMs` or if the child exits first. */
function waitFor(what: string, condition: () => boolean, process: ChildProcess, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const done = (error?: Error): void => {
      clearTimeout(timer);
      process.stdout?.off('data', check);
      process.off('exit', exited);
      if (error === undefined) resolvePromise();
      else reject(error);
    };
    const check = (): void => {
      if (condition()) done();
    };
    const exited = (): void => done(new Error(`app.mjs exited before ${what}`));
    const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    process.stdout?.on('data', check);
    process.on('exit', exited);
    check();
  });
}

describe('Getting started (README.md)', () => {
  test('the README shows app.mjs and worker.mjs as they are', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const file of ['app.mjs', 'worker.mjs']) {
      const source = readFileSync(join(here, file), 'utf8');
      assert.ok(
        readme.includes(`\`\`\`js\n${source}\`\`\``),
        `README.md's block for ${file} differs from examples/getting-started/${file}: copy the file into it`,
      );
    }
  });

  test('pretty output on stdout, a worker, a file and one request with its own logger, then Ctrl-C', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', NO_COLOR: '1' };
    delete env.FORCE_COLOR;
    const app = spawn(process.execPath, [join(here, 'app.mjs')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = app;
    let stdout = '';
    let stderr = '';
    app.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    app.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    const exit = new Promise<number | null>((resolveExit) => app.once('exit', (code) => resolveExit(code)));

    let port = 0;
    await waitFor(
      'the "listening" record with its port',
      () => {
        const match = /INFO +\[main\] app: listening\n +port: (\d+)\n/.exec(stdout);
        port = match === null ? 0 : Number(match[1]);
        return port > 0;
      },
      app,
    );
    const response = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-request-id': 'getting-started-1' } });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'hello, getting-started-1');
    await waitFor(
      "the request's completion record and the worker's record",
      () => stdout.includes('app: request completed') && stdout.includes('job: job done'),
      app,
    );

    app.kill('SIGINT');
    assert.equal(await exit, 0, stderr);

    // Pretty output: one line per record with producer and logger, fields indented below.
    assert.match(stdout, /INFO +\[worker-1\] job: job done\n +items: 3\n/);
    assert.match(stdout, /INFO +\[main\] app: request completed\n(?: +.+\n)* +requestId: "?getting-started-1"?\n/);
    // The file: the same records as JSON lines.
    const records = readFileSync(join(cwd, 'app.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const pick = (msg: string): Record<string, unknown> | undefined => records.find((record) => record.msg === msg);
    assert.deepEqual(records.map((record) => `${record.producer} ${record.logger}: ${record.msg}`).sort(), [
      'main app: listening',
      'main app: request completed',
      'worker-1 job: job done',
    ]);
    assert.equal(pick('listening')?.port, port);
    assert.equal(pick('job done')?.items, 3);
    assert.deepEqual((({ requestId, method, path, status }) => ({ requestId, method, path, status }))(pick('request completed') ?? {}), {
      requestId: 'getting-started-1',
      method: 'GET',
      path: '/',
      status: 200,
    });
  });
});
