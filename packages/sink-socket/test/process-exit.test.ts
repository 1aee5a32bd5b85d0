import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkOutput, waitFor } from '@tributary/core/testing';
import { createReceiver } from '@tributary/sink-socket/receiver';
import { describe, test } from 'vitest';
import { runtimeCommands as runtimes } from '../../../tooling/runtime-tests/runtimes.ts';

const fixture = fileURLToPath(new URL('./fixtures/log-and-leave.mjs', import.meta.url));

function run(runtime: readonly [string, string, readonly string[]], port: number, count: number, transport = 'tcp'): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(runtime[1], [...runtime[2], fixture, String(port), String(count), transport], { stdio: ['ignore', 'pipe', 'inherit'] });
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
