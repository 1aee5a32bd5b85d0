import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkOutput, waitFor } from '@tributary/core/testing';
import { createReceiver } from '@tributary/sink-socket/receiver';
import { describe, test } from 'vitest';
import { runtimeCommands as runtimes } from '../../../tooling/runtime-tests/runtimes.ts';

const fixture = fileURLToPath(new URL('./fixtures/log-and-leave.mjs', import.meta.url));
const stopFixture = fileURLToPath(new URL('./fixtures/stop-unreachable.mjs', import.meta.url));
const exitFixture = fileURLToPath(new URL('./fixtures/exit-after-log.mjs', import.meta.url));

function run(
  runtime: readonly [string, string, readonly string[]],
  port: number,
  count: number,
  transport = 'tcp',
): Promise<{ code: number | null; stdout: string }> {
  return runScript(runtime, fixture, [String(port), String(count), transport]);
}

function runScript(
  runtime: readonly [string, string, readonly string[]],
  script: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime[1], [...runtime[2], script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the process did not exit by itself within 30 s: the sink keeps it alive'));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

describe.each(runtimes)('the sink never keeps a %s process alive (needs a build: the fixture imports dist)', (...runtime) => {
  test('collector unreachable: the script exits by itself', async () => {
    const probe = await createReceiver();
    const port = probe.port;
    await probe.close();
    const result = await run(runtime, port, 10);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'logged\n');
  });

  test('collector up: the script exits by itself and the records it wrote still arrive', async () => {
    const receiver = await createReceiver({ keep: true });
    const result = await run(runtime, receiver.port, 1_000);
    assert.equal(result.code, 0);
    await waitFor(() => receiver.received >= 1_000, '1,000 records from the child');
    await receiver.close();
    const check = checkOutput(receiver.records().map((record) => record.payload));
    assert.equal(check.producers.get('child')?.count, 1_000);
    assert.equal(check.missing + check.duplicated + check.torn, 0);
  });

  test('UDP: the script exits by itself and its datagrams were sent', async () => {
    const receiver = await createReceiver({ transport: 'udp', keep: true });
    const result = await run(runtime, receiver.port, 100, 'udp');
    assert.equal(result.code, 0);
    await waitFor(() => receiver.received >= 100, '100 datagrams from the child');
    await receiver.close();
    assert.equal(checkOutput(receiver.records().map((record) => record.payload)).producers.get('child')?.count, 100);
  });
});

describe.each(runtimes)('await listener.stop() with the collector down, on %s (needs a build)', (...runtime) => {
  for (const mode of ['alone', 'keep-alive'] as const) {
    test(`${mode}: stop() settles and counts the 3 undelivered records as dropped`, async () => {
      const probe = await createReceiver();
      const port = probe.port;
      await probe.close();
      const result = await runScript(runtime, stopFixture, [String(port), mode]);
      // without a referenced wait the process exits with code 13 (unsettled top-level await) and prints nothing
      assert.equal(result.code, 0);
      const summary = JSON.parse(result.stdout) as { sinks: { written: number; dropped: number }[]; timedOut: boolean };
      assert.equal(summary.sinks[0]?.dropped, 3);
      assert.equal(summary.timedOut, false);
    });
  }
});

describe.each(runtimes)('process.exit() right after logging, on %s (needs a build)', (...runtime) => {
  test('collector connected: every record reaches it through the last write at exit', async () => {
    const receiver = await createReceiver({ keep: true });
    const result = await runScript(runtime, exitFixture, [String(receiver.port), '101', 'up']);
    assert.equal(result.code, 3);
    await waitFor(() => receiver.received >= 101, '101 records from the exiting process');
    await receiver.close();
    const check = checkOutput(receiver.records().map((record) => record.payload));
    assert.equal(check.producers.get('exiting')?.count, 101);
    assert.equal(check.missing + check.duplicated + check.torn, 0);
  });

  test.each(['down', 'buffered'])('collector down (%s): the other sinks are told of every record not sent, exactly', async (mode) => {
    const probe = await createReceiver();
    const port = probe.port;
    await probe.close();
    const result = await runScript(runtime, exitFixture, [String(port), '101', mode]);
    assert.equal(result.code, 3);
    const check = checkOutput(result.stdout.split('\n').filter((line) => line !== ''));
    assert.equal(check.producers.get('exiting')?.count, 101, 'the neighbour wrote every record');
    const errors = check.notices.get('tributary.sink_error') ?? [];
    const dropped = check.notices.get('tributary.dropped') ?? [];
    const told = errors.reduce((sum, notice) => sum + Number(notice['records']), 0) + dropped.reduce((sum, notice) => sum + Number(notice['dropped']), 0);
    assert.equal(told, 101, `the neighbour is told of the 101 records the socket sink could not send: ${JSON.stringify([...errors, ...dropped])}`);
  });
});
