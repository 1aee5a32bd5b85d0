import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import { CHANNEL_FD_VARIABLE, PRODUCER_VARIABLE, attachChildProcess, forkProducer } from '@tributary/node-child-process';
import type { ConnectedChild, DeliveryMode } from '@tributary/node-child-process';

const producerScript = fileURLToPath(new URL('./fixtures/producer.mjs', import.meta.url));
/** Fixtures run the built packages: no vitest flags (which point `@tributary/*` at the sources). */
const execArgv: string[] = [];
const quiet = { stdio: ['ignore', 'ignore', 'ignore'] as 'ignore'[], execArgv };

function setup(): { listener: QueueListener; sink: ReturnType<typeof memorySink> } {
  const sink = memorySink();
  return { sink, listener: new QueueListener({ sinks: [sink], onReport: () => {} }) };
}

function fork(listener: QueueListener, count: number, ending: string, delivery: DeliveryMode, options: object = {}): ConnectedChild {
  return forkProducer(listener, producerScript, [String(count), ending, delivery], { ...quiet, ...options });
}

/** Waits until the listener's sink holds `count` records of `producer`. */
async function untilDelivered(sink: ReturnType<typeof memorySink>, producer: string, count: number): Promise<void> {
  await waitFor(() => (checkOutput(sink.lines()).producers.get(producer)?.count ?? 0) >= count, `${count} records of ${producer}`);
}

describe('node child processes: the connected producer', () => {
  test('forkProducer returns the one shape, with the ChildProcess as `child` and default ids child-1, child-2 per listener', async () => {
    const { listener, sink } = setup();
    const first = fork(listener, 100, 'return', 'batched');
    const second = fork(listener, 100, 'exit', 'sync');
    expect([first.producer, second.producer]).toEqual(['child-1', 'child-2']);
    expect(typeof first.child.pid).toBe('number');
    expect(typeof first.stop).toBe('function');
    expect(typeof first.terminate).toBe('function');
    const exits = await Promise.all([first.exited, second.exited]);
    await listener.stop();
    expect(exits).toEqual([
      { reason: 'ended', code: 0, lastSeq: 100 },
      { reason: 'ended', code: 0, lastSeq: 100 },
    ]);
    const check = checkOutput(sink.lines());
    expect(check.producers.get('child-1')?.count).toBe(100);
    expect(check.producers.get('child-2')?.count).toBe(100);
    expect(check.notices.get('tributary.producer_exited')).toBeUndefined();
    const other = setup();
    const again = fork(other.listener, 1, 'return', 'batched');
    expect(again.producer).toBe('child-1');
    await again.exited;
    await other.listener.stop();
  });

  test('an uncaught exception: exited says crashed with code 1 and the last seq', async () => {
    const { listener } = setup();
    const connected = fork(listener, 500, 'throw', 'batched', { producer: 'thrower' });
    const exit = await connected.exited;
    await listener.stop();
    expect(exit).toEqual({ reason: 'crashed', code: 1, lastSeq: 500 });
  });

  test('a SIGKILL the parent did not send: killed, with one warn producer_exited record', async () => {
    const { listener, sink } = setup();
    const connected = fork(listener, 300, 'stay', 'sync', { producer: 'victim' });
    await untilDelivered(sink, 'victim', 300);
    connected.child.kill('SIGKILL');
    const exit = await connected.exited;
    await listener.stop();
    expect(exit).toEqual({ reason: 'killed', signal: 'SIGKILL', lastSeq: 300 });
    const exited = checkOutput(sink.lines()).notices.get('tributary.producer_exited') ?? [];
    expect(exited).toHaveLength(1);
    expect(exited[0]).toMatchObject({ level: 'warn', exitedProducer: 'victim', lastSeq: 300 });
  });

  for (const delivery of ['batched', 'sync'] as const) {
    test(`stop() asks (SIGTERM): the child writes what it queued, ends as stopped, and no producer_exited record is written (${delivery})`, async () => {
      const { listener, sink } = setup();
      const connected = fork(listener, 2_000, 'stay', delivery, { producer: 'server' });
      await untilDelivered(sink, 'server', 1);
      const exit = await connected.stop();
      expect(await connected.stop()).toBe(exit);
      await listener.stop();
      expect(exit).toEqual({ reason: 'stopped', signal: 'SIGTERM', lastSeq: 2_000 });
      const check = checkOutput(sink.lines());
      expect(check.producers.get('server')).toEqual({ count: 2_000, maxSeq: 2_000, missing: 0, duplicated: 0, outOfOrder: 0 });
      expect(check.notices.size).toBe(0);
    });
  }

  test('stop() on a child that ignores SIGTERM: killed after stopTimeout, terminated; sync delivery keeps every record', async () => {
    const { listener, sink } = setup();
    const connected = fork(listener, 1_000, 'ignore-sigterm', 'sync', { producer: 'stubborn', stopTimeout: 300 });
    await untilDelivered(sink, 'stubborn', 1_000);
    const exit = await connected.stop();
    await listener.stop();
    expect(exit).toEqual({ reason: 'terminated', signal: 'SIGKILL', lastSeq: 1_000 });
    const check = checkOutput(sink.lines());
    expect(check.producers.get('stubborn')?.count).toBe(1_000);
    expect(check.notices.get('tributary.producer_exited')).toEqual([expect.objectContaining({ level: 'warn', exitedProducer: 'stubborn', lastSeq: 1_000 })]);
  });

  test('terminate() kills at once: terminated, and a second call resolves the same', async () => {
    const { listener, sink } = setup();
    const connected = fork(listener, 200, 'stay', 'sync', { producer: 'ended-by-parent' });
    await untilDelivered(sink, 'ended-by-parent', 200);
    const exit = await connected.terminate();
    expect(await connected.terminate()).toEqual(exit);
    await listener.stop();
    expect(exit).toEqual({ reason: 'terminated', signal: 'SIGKILL', lastSeq: 200 });
  });

  test('stop() after the child ended resolves with how it ended, without signalling', async () => {
    const { listener } = setup();
    const connected = fork(listener, 10, 'return', 'batched');
    const ended = await connected.exited;
    expect(await connected.stop()).toEqual(ended);
    expect(ended.reason).toBe('ended');
    await listener.stop();
  });

  test('attachChildProcess returns the same shape; its producer is the id the child announces', async () => {
    const { listener } = setup();
    const child = spawn(process.execPath, [producerScript, '50', 'return', 'batched'], {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'],
      env: { ...process.env, [CHANNEL_FD_VARIABLE]: '3', [PRODUCER_VARIABLE]: 'spawned' },
    });
    const connected = attachChildProcess(listener, child);
    expect(connected.child).toBe(child);
    const exit = await connected.exited;
    await listener.stop();
    expect(connected.producer).toBe('spawned');
    expect(exit).toEqual({ reason: 'ended', code: 0, lastSeq: 50 });
  });

  test('a bad stopTimeout is refused at once', async () => {
    const { listener } = setup();
    expect(() => forkProducer(listener, producerScript, [], { stopTimeout: 0 })).toThrow(RangeError);
    await listener.stop();
  });
});
