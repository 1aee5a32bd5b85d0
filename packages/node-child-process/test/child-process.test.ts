import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import type { ListenerSummary } from '@tributary/core';
import type { ChannelCloseInfo } from '@tributary/core/adapter';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import type { OutputCheck } from '@tributary/core/testing';
import { attachChildProcess, channelClosed, connectToParent, forkProducer } from '@tributary/node-child-process';
import type { DeliveryMode } from '@tributary/node-child-process';

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
/** Fixtures run the built packages: no vitest flags (which point `@tributary/*` at the sources). */
const execArgv: string[] = [];

interface Outcome {
  readonly check: OutputCheck;
  readonly lines: readonly string[];
  readonly info: ChannelCloseInfo;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly summary: ListenerSummary;
}

/** Forks the producer fixture, waits until the listener has everything, stops the listener. */
async function runProducer(count: number, ending: string, delivery: DeliveryMode | '-' = '-'): Promise<Outcome> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
  const { child } = forkProducer(listener, fixture('producer.mjs'), [String(count), ending, delivery], {
    stdio: ['ignore', 'ignore', 'ignore'],
    execArgv,
    producer: 'fixture',
  });
  const info = await channelClosed(child);
  const summary = await listener.stop();
  const lines = sink.lines();
  return { check: checkOutput(lines), lines, info, code: child.exitCode, signal: child.signalCode, summary };
}

function recordsOf(check: OutputCheck, producer: string): number {
  return check.producers.get(producer)?.count ?? 0;
}

describe('node child processes: delivery', () => {
  test.each(['batched', 'sync'] as const)('every record of a child arrives once, in order (%s)', async (delivery) => {
    const { check, code, info, summary } = await runProducer(3_000, 'return', delivery);
    expect(code).toBe(0);
    expect(summary.complete).toBe(true);
    expect(info.reason).toBe('exit code 0');
    const [producer] = [...check.producers.keys()];
    expect(check.producers.get(producer as string)).toEqual({ count: 3_000, maxSeq: 3_000, missing: 0, duplicated: 0, outOfOrder: 0 });
    expect(check.torn).toBe(0);
    expect(check.notices.size).toBe(0);
  });

  test('a flush in the child resolves once the listener has the records', async () => {
    const { check, code } = await runProducer(500, 'flush-exit');
    expect(code).toBe(0);
    expect(recordsOf(check, 'fixture')).toBe(500);
  });

  test('the listener survives a child killed mid-stream and keeps writing the others', async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const options = { stdio: ['ignore', 'ignore', 'ignore'] as 'ignore'[], execArgv, env: { ...process.env, YIELD_EVERY: '100' } };
    const survivors = [1, 2, 3].map(
      (index) => forkProducer(listener, fixture('producer.mjs'), ['20000', 'return'], { ...options, producer: `ok${index}` }).child,
    );
    const victim = forkProducer(listener, fixture('producer.mjs'), ['1000000', 'return'], { ...options, producer: 'victim' }).child;
    await waitFor(() => recordsOf(checkOutput(sink.lines()), 'victim') > 1_000, 'the victim to deliver records');
    victim.kill('SIGKILL');
    const infos = await Promise.all([victim, ...survivors].map((child) => channelClosed(child)));
    await listener.stop();
    const check = checkOutput(sink.lines());
    expect(infos[0]?.reason).toMatch(/^killed by SIGKILL/);
    for (const index of [1, 2, 3])
      expect(check.producers.get(`ok${index}`)).toEqual({ count: 20_000, maxSeq: 20_000, missing: 0, duplicated: 0, outOfOrder: 0 });
    const victimCheck = check.producers.get('victim');
    expect(victimCheck?.missing).toBe(0);
    expect(victimCheck?.duplicated).toBe(0);
    expect(check.torn).toBe(0);
    const exited = check.notices.get('tributary.producer_exited') ?? [];
    expect(exited.map((notice) => notice['exitedProducer'])).toEqual(['victim']);
    expect(exited[0]?.['lastSeq']).toBe(victimCheck?.maxSeq);
  });
});

describe('node child processes: exit paths lose nothing that was logged', () => {
  for (const delivery of ['batched', 'sync'] as const) {
    test(`process.exit() right after logging (${delivery})`, async () => {
      const { check, code } = await runProducer(5_000, 'exit', delivery);
      expect(code).toBe(0);
      expect(recordsOf(check, 'fixture')).toBe(5_000);
      expect(check.missing + check.duplicated + check.torn).toBe(0);
    });

    test(`process.exit() right after a record over 256 KiB (${delivery})`, async () => {
      const { check, code, lines } = await runProducer(100, 'big-exit', delivery);
      expect(code).toBe(0);
      expect(recordsOf(check, 'fixture')).toBe(101);
      const big = JSON.parse(lines[lines.length - 1] as string) as { msg: string; blob: string; seq: number };
      expect(big.msg).toBe('big');
      expect(big.seq).toBe(101);
      expect(big.blob.length).toBe(300 * 1024);
    });

    test(`an uncaught exception (${delivery})`, async () => {
      const { check, code } = await runProducer(5_000, 'throw', delivery);
      expect(code).toBe(1);
      expect(recordsOf(check, 'fixture')).toBe(5_000);
      expect(check.missing + check.duplicated + check.torn).toBe(0);
    });

    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      test(`${signal} without a handler: every record once, in order, and the child still dies by ${signal} (${delivery})`, async () => {
        const { check, info, signal: endedBy, summary } = await runProducer(5_000, signal.toLowerCase(), delivery);
        expect(endedBy).toBe(signal);
        expect(info.reason).toBe(`killed by ${signal}`);
        expect(check.producers.get('fixture')).toEqual({ count: 5_000, maxSeq: 5_000, missing: 0, duplicated: 0, outOfOrder: 0 });
        expect(check.torn).toBe(0);
        expect(check.notices.get('tributary.lost')).toBeUndefined();
        expect(summary.complete).toBe(true);
      });

      test(`${signal} with the application's own handler: the queue is written when the signal comes, the handler decides the rest (${delivery})`, async () => {
        // The handler ends the child with SIGKILL: no exit hook runs, so a record arrives only if the
        // adapter wrote it when the signal came.
        const { check, info, signal: endedBy, summary } = await runProducer(5_000, `handled-${signal.toLowerCase()}`, delivery);
        expect(endedBy).toBe('SIGKILL');
        expect(info.reason).toBe('killed by SIGKILL');
        expect(check.producers.get('fixture')).toEqual({ count: 5_000, maxSeq: 5_000, missing: 0, duplicated: 0, outOfOrder: 0 });
        expect(check.torn).toBe(0);
        if (delivery === 'batched') {
          // No goodbye came, so the listener cannot know that nothing followed: it says so, as for any SIGKILL.
          expect(check.notices.get('tributary.lost')).toEqual([expect.objectContaining({ lost: 'unknown', lostProducer: 'fixture', afterSeq: 5_000 })]);
          expect(summary.complete).toBe(false);
        } else {
          expect(check.notices.get('tributary.lost')).toBeUndefined();
          expect(summary.complete).toBe(true);
        }
      });
    }

    test(`SIGTERM with the application's own handler that then calls process.exit(0): everything, exit code 0, nothing reported lost (${delivery})`, async () => {
      const { check, code, info, summary } = await runProducer(5_000, 'handled-sigterm-exit', delivery);
      expect(code).toBe(0);
      expect(info.reason).toBe('exit code 0');
      expect(check.producers.get('fixture')).toEqual({ count: 5_000, maxSeq: 5_000, missing: 0, duplicated: 0, outOfOrder: 0 });
      expect(check.notices.get('tributary.lost')).toBeUndefined();
      expect(summary.complete).toBe(true);
    });
  }

  test('SIGKILL in sync mode loses nothing that was logged', async () => {
    const { check, signal, summary } = await runProducer(3_000, 'sigkill', 'sync');
    expect(signal).toBe('SIGKILL');
    expect(check.notices.get('tributary.lost')).toBeUndefined();
    expect(summary.lostUnknown).toBe(0);
    expect(summary.complete).toBe(true);
    const producer = [...check.producers.keys()].find((name) => name !== 'listener') as string;
    expect(check.producers.get(producer)).toEqual({ count: 3_000, maxSeq: 3_000, missing: 0, duplicated: 0, outOfOrder: 0 });
    expect(check.notices.get('tributary.producer_exited')?.[0]?.['lastSeq']).toBe(3_000);
  });

  test('SIGKILL in batched mode loses at most the unsent batch, and what arrived has no gap', async () => {
    // 600 records (~80 KB) fit in the pipe, so only the batch still in the child's memory can be lost.
    const { check, signal, summary } = await runProducer(600, 'sigkill', 'batched');
    expect(signal).toBe('SIGKILL');
    const producer = [...check.producers.keys()].find((name) => name !== 'listener') as string;
    const arrived = check.producers.get(producer);
    // The tail the child had queued is of unknown size: said so, never counted as zero.
    expect(check.notices.get('tributary.lost')).toEqual([expect.objectContaining({ lost: 'unknown', lostProducer: producer, afterSeq: arrived?.maxSeq })]);
    expect(summary.producers.find((stats) => stats.producer === producer)?.lostUnknownAfterSeq).toBe(arrived?.maxSeq);
    expect(summary.lostUnknown).toBe(1);
    expect(summary.complete).toBe(false);
    expect(arrived?.count).toBeGreaterThanOrEqual(600 - 256);
    expect(arrived?.missing).toBe(0);
    expect(check.notices.get('tributary.producer_exited')?.[0]?.['lastSeq']).toBe(arrived?.maxSeq);
  });

  test('a child killed in the middle of a frame: the torn frame is discarded and its records reported lost exactly', async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const { child } = forkProducer(listener, fixture('torn.mjs'), [], { stdio: ['ignore', 'ignore', 'ignore'], execArgv, producer: 'torn' });
    const info = await channelClosed(child);
    await listener.stop();
    const check = checkOutput(sink.lines());
    expect(info.lastSeqKnown).toBe(20);
    expect(info.reason).toMatch(/killed by SIGKILL; discarded a frame cut short \(100 bytes\)/);
    expect(check.torn).toBe(0);
    expect(check.producers.get('torn')).toEqual({ count: 10, maxSeq: 10, missing: 0, duplicated: 0, outOfOrder: 0 });
    const lost = check.notices.get('tributary.lost') ?? [];
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ lost: 10, lostProducer: 'torn', fromSeq: 11, toSeq: 20 });
  });
});

describe('node child processes: a parent that dies', () => {
  for (const delivery of ['batched', 'sync'] as const) {
    test(`the orphan falls back to stderr and exits normally (${delivery})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tributary-orphan-'));
      const marker = join(dir, 'marker');
      const stderrPath = join(dir, 'stderr');
      const stderrFd = openSync(stderrPath, 'w');
      let parent: ChildProcess | undefined;
      try {
        parent = spawn(process.execPath, [fixture('orphan-parent.mjs'), delivery, marker], { stdio: ['ignore', 'pipe', stderrFd] });
        let out = '';
        parent.stdout?.on('data', (chunk: Buffer) => (out += String(chunk)));
        await waitFor(() => out.includes('ready'), 'the child to have logged');
        parent.kill('SIGKILL');
        await waitFor(() => existsSync(marker) && readFileSync(marker, 'utf8').endsWith('\n'), 'the orphan to exit', 30_000);
      } finally {
        closeSync(stderrFd);
        parent?.kill('SIGKILL');
      }
      expect(readFileSync(marker, 'utf8')).toBe('exit 0\n');
      const fallback = readFileSync(stderrPath, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg: string; seq: number });
      expect(fallback.map((record) => [record.msg, record.seq])).toEqual([6, 7, 8, 9, 10].map((seq) => ['after', seq]));
    });
  }
});

describe('node child processes: configuration errors are thrown at once', () => {
  test('connectToParent in a process without a channel', () => {
    expect(() => connectToParent()).toThrow(/no channel to a parent listener/);
  });

  test('connectToParent on a descriptor that is not a pipe', () => {
    const fd = openSync(join(mkdtempSync(join(tmpdir(), 'tributary-fd-')), 'not-a-pipe'), 'w');
    try {
      expect(() => connectToParent({ fd })).toThrow(/is not a pipe from the parent/);
    } finally {
      closeSync(fd);
    }
  });

  test('attachChildProcess on a child without the pipes', async () => {
    const listener = new QueueListener({ sinks: [] });
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    expect(() => attachChildProcess(listener, child)).toThrow(/no pipes at stdio\[3\] and stdio\[4\]/);
    await new Promise((resolve) => child.once('exit', resolve));
    await listener.stop();
  });

  test('forkProducer with a bad delivery mode', async () => {
    const listener = new QueueListener({ sinks: [] });
    expect(() => forkProducer(listener, fixture('producer.mjs'), [], { delivery: 'fast' as DeliveryMode })).toThrow(/'batched' or 'sync'/);
    await listener.stop();
  });
});
