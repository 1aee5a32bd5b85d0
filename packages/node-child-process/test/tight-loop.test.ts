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
  test(`2 children × ${records.toLocaleString('en')} records: every record arrives once, in order, nothing dropped`, async () => {
    const sink = memorySink();
    const listener = new QueueListener({ sinks: [sink], onReport: () => {} });
    const children = [0, 1].map(() => forkProducer(listener, producer, [String(records), 'return'], { stdio: ['ignore', 'ignore', 'pipe'], execArgv }).child);
    const closed = await Promise.all(children.map((child) => channelClosed(child)));
    await listener.stop();
    const check = checkOutput(sink.lines());
    expect(closed.map((info) => info.reason)).toEqual(['exit code 0', 'exit code 0']);
    expect(check.producers.size).toBe(2);
    for (const counts of check.producers.values()) expect(counts).toEqual({ count: records, maxSeq: records, missing: 0, duplicated: 0, outOfOrder: 0 });
    expect(check.torn).toBe(0);
    expect([...check.notices.keys()]).toEqual([]);
  }, 180_000);

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
});
