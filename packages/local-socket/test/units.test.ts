import { describe, expect, test } from 'vitest';
import { AckGate } from '../src/collector/ack-gate.ts';
import { reconnectDelayMs } from '../src/producer/backoff.ts';
import { UnconfirmedFrames } from '../src/producer/unconfirmed-frames.ts';

const frame = (firstSeq: number, lastSeq: number, bytes: number) => ({ firstSeq, lastSeq, bytes: new Uint8Array(bytes) });

describe('UnconfirmedFrames', () => {
  test('confirming frees frames up to the sequence number; beyond the bound the oldest go and are counted', () => {
    const frames = new UnconfirmedFrames(250);
    frames.push(frame(1, 10, 100));
    frames.push(frame(11, 20, 100));
    expect(frames.bytes).toBe(200);
    frames.push(frame(21, 25, 100));
    expect(frames.droppedRecords).toBe(10);
    expect(frames.all().map((kept) => kept.firstSeq)).toEqual([11, 21]);
    frames.confirm(15);
    expect(frames.all().map((kept) => kept.firstSeq)).toEqual([11, 21]);
    frames.confirm(20);
    expect(frames.all().map((kept) => kept.firstSeq)).toEqual([21]);
    expect(frames.bytes).toBe(100);
  });

  test('the newest frame is kept even alone above the bound', () => {
    const frames = new UnconfirmedFrames(50);
    frames.push(frame(1, 3, 40));
    frames.push(frame(4, 9, 80));
    expect(frames.droppedRecords).toBe(3);
    expect(frames.takeAll().map((kept) => kept.lastSeq)).toEqual([9]);
    expect(frames.length).toBe(0);
  });
});

describe('reconnectDelayMs', () => {
  test('doubles from the minimum, capped, jittered over the upper half', () => {
    const bounds = { minDelayMs: 50, maxDelayMs: 2_000 };
    expect([0, 1, 2, 3].map((attempt) => reconnectDelayMs(attempt, bounds, () => 1))).toEqual([50, 100, 200, 400]);
    expect(reconnectDelayMs(3, bounds, () => 0)).toBe(200);
    expect(reconnectDelayMs(40, bounds, () => 1)).toBe(2_000);
    expect(reconnectDelayMs(40, bounds, () => 0)).toBe(1_000);
    expect(reconnectDelayMs(0, bounds, () => 0)).toBe(50);
  });
});

describe('AckGate', () => {
  test('acks go out only after a completed flush; a failed flush keeps them for the next round', async () => {
    const flushes: ((written: boolean) => void)[] = [];
    const gate = new AckGate(() => new Promise<boolean>((resolve) => flushes.push(resolve)));
    const delivered: number[] = [];
    const target = { deliverAck: (seq: number) => delivered.push(seq) };
    gate.hold(target, 10);
    gate.hold(target, 20);
    expect(delivered).toEqual([]);
    expect(flushes).toHaveLength(1);
    gate.hold(target, 30); // arrives during the flush: the next round
    (flushes.shift() as (written: boolean) => void)(false);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(delivered).toEqual([]);
    gate.hold(target, 40);
    await new Promise((resolve) => setTimeout(resolve, 0));
    (flushes.shift() as (written: boolean) => void)(true);
    await gate.settle();
    expect(delivered).toEqual([40]);
  });

  test('a forgotten connection gets nothing', async () => {
    const gate = new AckGate(async () => true);
    const delivered: number[] = [];
    const target = { deliverAck: (seq: number) => delivered.push(seq) };
    gate.hold(target, 5);
    gate.forget(target);
    await gate.settle();
    expect(delivered).toEqual([]);
  });
});
