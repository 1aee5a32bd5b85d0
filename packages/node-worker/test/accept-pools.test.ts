import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { Piscina } from 'piscina';
import { Tinypool } from 'tinypool';
import workerpool from 'workerpool';
import { QueueListener } from '@tributary/core';
import type { AcceptedExit } from '@tributary/core/adapter';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import { acceptWorkers } from '@tributary/node-worker';
import { expectTributaryVerifiedLines } from '../../../tooling/runtime-tests/tributary-verify.ts';

const taskFile = new URL('./fixtures/pool-task.mjs', import.meta.url).href;
const workerpoolFile = new URL('./fixtures/workerpool-task.mjs', import.meta.url).pathname;
/** Pool threads import the built packages, not vitest's source condition. */
const execArgv: string[] = [];
const TASKS = 40;
const RECORDS = 100;

interface Task {
  readonly task: number;
  readonly records: number;
  readonly fail?: boolean;
}

/** A pool as the tests drive it. */
interface PoolUnderTest {
  run(task: Task): Promise<number>;
  close(): Promise<unknown>;
}

const pools: Record<string, (options: { idle?: boolean }) => PoolUnderTest> = {
  piscina: ({ idle }) => {
    const pool = new Piscina({ filename: taskFile, minThreads: idle ? 0 : 2, maxThreads: 4, execArgv, ...(idle ? { idleTimeout: 20 } : {}) });
    return { run: (task) => pool.run(task), close: () => pool.destroy() };
  },
  tinypool: ({ idle }) => {
    const pool = new Tinypool({ filename: taskFile, minThreads: idle ? 0 : 2, maxThreads: 4, execArgv, ...(idle ? { idleTimeout: 20 } : {}) });
    return { run: (task) => pool.run(task), close: () => pool.destroy() };
  },
  workerpool: () => {
    const pool = workerpool.pool(workerpoolFile, { workerType: 'thread', maxWorkers: 4, workerThreadOpts: { execArgv } });
    return { run: (task) => Promise.resolve(pool.exec('run', [task])) as Promise<number>, close: () => Promise.resolve(pool.terminate()) };
  },
};

function accepting() {
  const memory = memorySink();
  const listener = new QueueListener({ sinks: [memory], onReport: () => {}, drainOnExit: false });
  const exits: AcceptedExit[] = [];
  const acceptor = acceptWorkers(listener, { onExit: (exit) => exits.push(exit) });
  return { memory, listener, acceptor, exits };
}

/**
 * The real `tributary verify` on the output (written to a file as a file sink would): exit 0, no
 * unreported loss, and each thread's records up to the last sequence number its exit reported.
 */
function verifyWithCli(lines: readonly string[], exits: readonly AcceptedExit[]): void {
  expectTributaryVerifiedLines(lines, { records: Object.fromEntries(exits.map((exit) => [exit.producer, exit.lastSeq])) });
}

/** Every record of every task once, in per-thread order, each task's records together and in order. */
function checkTasks(lines: readonly string[], tasks: readonly Task[]): Set<string> {
  const check = checkOutput(lines);
  assert.deepEqual(
    { torn: check.torn, missing: check.missing, duplicated: check.duplicated, outOfOrder: check.outOfOrder },
    { torn: 0, missing: 0, duplicated: 0, outOfOrder: 0 },
  );
  const seen = new Map<number, number[]>();
  const producers = new Set<string>();
  let previous: { producer: string; task: number; n: number } | undefined;
  for (const line of lines) {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (record['msg'] !== 'task record') continue;
    const producer = String(record['producer']);
    producers.add(producer);
    const task = Number(record['task']);
    const n = Number(record['n']);
    seen.set(task, [...(seen.get(task) ?? []), n]);
    if (previous !== undefined && previous.producer === producer && previous.task === task) assert.equal(n, previous.n + 1, `task ${task} in order`);
    previous = { producer, task, n };
  }
  for (const task of tasks)
    assert.deepEqual(
      seen.get(task.task),
      Array.from({ length: task.records }, (_, index) => index + 1),
      `every record of task ${task.task}, once`,
    );
  return producers;
}

describe('acceptWorkers() with real thread pools', () => {
  for (const [name, makePool] of Object.entries(pools)) {
    test(`${name}: ${TASKS} tasks × ${RECORDS} records, a task that throws, the pool closed right after: every record once, in per-thread order; every thread's end reported`, async () => {
      const { memory, listener, acceptor, exits } = accepting();
      const pool = makePool({});
      const tasks: Task[] = Array.from({ length: TASKS }, (_, task) => ({ task, records: RECORDS, fail: task === 7 }));
      const results = await Promise.allSettled(tasks.map((task) => pool.run(task)));
      assert.equal(results.filter((result) => result.status === 'rejected').length, 1, 'the failing task failed');
      const threads = new Set(results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])));
      await pool.close();
      await waitFor(() => exits.length >= threads.size, `the end of all ${threads.size} threads`);
      acceptor.close();
      await listener.stop();
      const producers = checkTasks(memory.lines(), tasks);
      assert.deepEqual([...producers].sort(), [...threads].map((thread) => `w${thread}`).sort(), 'one producer per thread, over all its tasks');
      for (const exit of exits) {
        const count = checkOutput(memory.lines()).producers.get(exit.producer)?.count ?? 0;
        assert.equal(exit.lastSeq, count, `${exit.producer} ended after its last record`);
      }
      const notices = checkOutput(memory.lines()).notices.get('tributary.producer_exited') ?? [];
      assert.equal(notices.length, exits.filter((exit) => exit.reason !== 'ended').length, 'each thread ended without a goodbye is reported');
      verifyWithCli(memory.lines(), exits);
    });
  }

  for (const name of ['piscina', 'tinypool']) {
    test(`${name}: an idle timeout recycles the threads between two batches; both batches arrive whole, the recycled threads are reported`, async () => {
      const { memory, listener, acceptor, exits } = accepting();
      const pool = (pools[name] as (options: { idle?: boolean }) => PoolUnderTest)({ idle: true });
      const first: Task[] = Array.from({ length: 8 }, (_, task) => ({ task, records: RECORDS }));
      const firstThreads = new Set(await Promise.all(first.map((task) => pool.run(task))));
      await waitFor(() => [...firstThreads].every((thread) => exits.some((exit) => exit.producer === `w${thread}`)), 'the idle threads recycled');
      const second: Task[] = Array.from({ length: 8 }, (_, task) => ({ task: task + 8, records: RECORDS }));
      const secondThreads = new Set(await Promise.all(second.map((task) => pool.run(task))));
      for (const thread of secondThreads) assert.ok(!firstThreads.has(thread), 'new threads for the second batch');
      await pool.close();
      await waitFor(() => exits.length >= firstThreads.size + secondThreads.size, 'every thread ended');
      acceptor.close();
      await listener.stop();
      checkTasks(memory.lines(), [...first, ...second]);
      const recycled = exits.filter((exit) => firstThreads.has(Number(exit.producer.slice(1))));
      for (const exit of recycled) assert.equal(exit.reason, 'terminated');
      verifyWithCli(memory.lines(), exits);
    });
  }
});
