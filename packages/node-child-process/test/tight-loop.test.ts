import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink } from '@tributary/core/testing';
import { channelClosed, forkProducer } from '@tributary/node-child-process';

const producer = fileURLToPath(new URL('./fixtures/producer.mjs', import.meta.url));
/** Fixtures run the built packages: no vitest flags (which point `@tributary/*` at the sources). */
const execArgv: string[] = [];
const records = 250_000;

describe('node child processes: a loop that never yields (batched, default options)', () => {
  // Whether the listener's thread gets the CPU within waitTimeout (1 s) is up to the machine: on a
  // busy one a child may wait, then drop. So with the defaults every record arrives or is counted in
  // a drop notice; with a waitTimeout no busy machine reaches, nothing at all may be dropped.
  for (const [label, env] of [
    ['default options: every record arrives once, in order, or is counted dropped', {}],
    ['waitTimeout 120 s: every record arrives once, in order, nothing dropped', { WAIT_TIMEOUT: '120000' }],
  ] as const) {
    test(`2 children × ${records.toLocaleString('en')} records, ${label}`, async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
      const children = [0, 1].map(
        () =>
          forkProducer(listener, producer, [String(records), 'return'], { stdio: ['ignore', 'ignore', 'pipe'], execArgv, env: { ...process.env, ...env } })
            .child,
      );
      const closed = await Promise.all(children.map((child) => channelClosed(child)));
      await listener.stop();
      const check = checkOutput(sink.lines());
      expect(closed.map((info) => info.reason)).toEqual(['exit code 0', 'exit code 0']);
      expect(check.producers.size).toBe(2);
      const notices = check.notices.get('tributary.dropped') ?? [];
      for (const [id, counts] of check.producers) {
        const own = notices.filter((notice) => notice['producer'] === id);
        const dropped = own.reduce((sum, notice) => sum + Number(notice['dropped']), 0);
        expect({ ...counts, dropped }).toMatchObject({ missing: 0, duplicated: 0, outOfOrder: 0 });
        // Its records and its drop notices (each with its own sequence number) cover every log call.
        expect(counts.count - own.length + dropped, id).toBe(records);
        if ('WAIT_TIMEOUT' in env) expect(dropped, id).toBe(0);
      }
      expect(check.torn).toBe(0);
      expect([...check.notices.keys()].filter((msg) => msg !== 'tributary.dropped')).toEqual([]);
    }, 180_000);
  }

  test('a parent that stops reading for longer than waitTimeout: the child waits, then drops, counts and reports; it never blocks for good', async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const { child } = forkProducer(listener, producer, [String(records), 'return'], { stdio: ['ignore', 'ignore', 'pipe'], execArgv });
    // The listener's own thread stalls (a busy parent): nothing reads the pipe for 4 s, 4 × waitTimeout.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 4_000);
    const info = await channelClosed(child);
    await listener.stop();
    const check = checkOutput(sink.lines());
    expect(info.reason).toBe('exit code 0');
    const [counts] = [...check.producers.values()];
    const notices = check.notices.get('tributary.dropped') ?? [];
    const dropped = notices.reduce((sum, notice) => sum + Number(notice['dropped']), 0);
    expect(dropped).toBeGreaterThan(0);
    expect(counts?.missing).toBe(0);
    expect(counts?.outOfOrder).toBe(0);
    expect(counts?.duplicated).toBe(0);
    // The producer's records are the ones logged and its drop notices (each with its own sequence number).
    expect((counts?.count ?? 0) - notices.length + dropped).toBe(records);
    expect(check.notices.has('tributary.lost')).toBe(false);
  }, 180_000);

  test('a parent too busy to read while the child exits: the exit gives up after exitTimeout and the listener reports an unknown loss, never 0', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tributary-exit-stall-'));
    const marker = join(folder, 'logged');
    try {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
      // 60,000 records stay under the back-pressure bound: the child queues them and exits at once.
      const env = { ...process.env, EXIT_TIMEOUT: '1000', LOGGED_MARKER: marker };
      const { child } = forkProducer(listener, producer, ['60000', 'return'], { stdio: ['ignore', 'ignore', 'ignore'], execArgv, env });
      // The listener's thread is busy (nothing reads the pipe) from before the child's exit until
      // well past its exitTimeout.
      const cell = new Int32Array(new SharedArrayBuffer(4));
      const giveUp = Date.now() + 60_000;
      while (!existsSync(marker) && Date.now() < giveUp) Atomics.wait(cell, 0, 0, 10);
      expect(existsSync(marker)).toBe(true);
      Atomics.wait(cell, 0, 0, 3_000);
      const info = await channelClosed(child);
      const summary = await listener.stop();
      const check = checkOutput(sink.lines());
      // The frame the pipe took only part of is discarded; its records are counted exactly.
      expect(info.reason).toMatch(/^exit code 0(; discarded a frame cut short|$)/);
      const [counts] = [...check.producers.values()];
      expect(counts?.outOfOrder).toBe(0);
      expect(counts?.duplicated).toBe(0);
      expect(counts?.count ?? 0).toBeLessThan(60_000);
      const lost = check.notices.get('tributary.lost') ?? [];
      const exact = lost.filter((notice) => typeof notice['lost'] === 'number');
      const unknown = lost.filter((notice) => notice['lost'] === 'unknown');
      // Exactly counted: the records of the cut frame, right after the last record that arrived.
      const exactlyLost = exact.reduce((sum, notice) => sum + Number(notice['lost']), 0);
      for (const notice of exact) expect(notice['fromSeq']).toBe((counts?.maxSeq ?? 0) + 1);
      expect(counts?.missing).toBe(0);
      expect(unknown).toHaveLength(1);
      expect(unknown[0]?.['afterSeq']).toBe((counts?.maxSeq ?? 0) + exactlyLost);
      expect(check.notices.get('tributary.producer_exited')).toHaveLength(1);
      expect(summary.complete).toBe(false);
      expect(summary.producers[0]?.lostUnknownAfterSeq).toBe((counts?.maxSeq ?? 0) + exactlyLost);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 180_000);
});
