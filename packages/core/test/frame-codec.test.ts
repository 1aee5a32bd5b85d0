import { describe, expect, test } from 'vitest';
import { FRAME_HEADER_BYTES, FrameDecoder, encodeFrame } from '@tributary/core/adapter';
import type { FrameDamage, WireFrame } from '@tributary/core/adapter';

const line = (seq: number, msg = 'hello'): string =>
  `{"time":"2026-11-26T00:00:00.000Z","level":"info","msg":"${msg}","logger":"","producer":"c1","seq":${seq},"pid":1}`;
const batch = (firstSeq: number, count: number, msg?: string): WireFrame => ({
  type: 'batch',
  producer: 'c1',
  firstSeq,
  lines: Array.from({ length: count }, (_, index) => line(firstSeq + index, msg)),
});

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

describe('frame codec', () => {
  test('round-trips every frame type, whole and byte by byte', () => {
    const frames: WireFrame[] = [
      { type: 'hello', version: 1, producer: 'c1', runtime: 'node', pid: 42, thread: 0 },
      batch(1, 3, 'ünïcødé ✓ 🚀'),
      { type: 'batch', producer: 'c1', firstSeq: 4, lines: [] },
      { type: 'batch', producer: 'c1', firstSeq: 4, lines: ['not\na canonical line', '', 'second'] },
      { type: 'flush', id: 7 },
      { type: 'bye', producer: 'c1', lastSeq: 5 },
      { type: 'ack', seq: 5 },
      { type: 'flushed', id: 7, complete: true },
      { type: 'refused', reason: 'no' },
    ];
    const stream = concat(...frames.map(encodeFrame));
    expect(new FrameDecoder().push(stream)).toEqual(frames);
    const decoder = new FrameDecoder();
    const bytewise: WireFrame[] = [];
    for (let index = 0; index < stream.length; index++) bytewise.push(...decoder.push(stream.subarray(index, index + 1)));
    expect(bytewise).toEqual(frames);
    expect(decoder.end()).toBeUndefined();
    expect(decoder.damagedBytes).toBe(0);
  });

  test('a lone surrogate becomes U+FFFD without shifting the lines after it', () => {
    const frame = { type: 'batch', producer: 'c1', firstSeq: 1, lines: ['a\uD800b', 'next'] } as const;
    expect(new FrameDecoder().push(encodeFrame(frame))).toEqual([{ ...frame, lines: ['a\uFFFDb', 'next'] }]);
  });

  test('a frame over 256 KiB arrives whole across many chunks', () => {
    const big = { type: 'batch', producer: 'c1', firstSeq: 1, lines: [line(1, 'x'.repeat(300 * 1024))] } as const;
    const bytes = encodeFrame(big);
    const decoder = new FrameDecoder();
    const frames: WireFrame[] = [];
    for (let offset = 0; offset < bytes.length; offset += 65_536) frames.push(...decoder.push(bytes.subarray(offset, offset + 65_536)));
    expect(frames).toEqual([big]);
  });

  test('a stream cut inside a batch reports the torn batch exactly and never yields part of it', () => {
    const whole = encodeFrame(batch(1, 10));
    const torn = encodeFrame(batch(11, 10));
    for (const cut of [1, 5, FRAME_HEADER_BYTES - 1, FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + 50, torn.length - 1]) {
      const decoder = new FrameDecoder();
      const frames = decoder.push(concat(whole, torn.subarray(0, cut)));
      expect(frames).toEqual([batch(1, 10)]);
      const damage = decoder.end();
      expect(damage?.kind).toBe('partial');
      expect(damage?.bytes).toBe(cut);
      if (cut >= FRAME_HEADER_BYTES) {
        expect(damage?.firstSeq).toBe(11);
        expect(damage?.count).toBe(10);
      } else {
        expect(damage?.firstSeq).toBeUndefined();
      }
    }
  });

  test('a torn frame followed by more frames is skipped, reported, and the decoder resynchronises', () => {
    const torn = encodeFrame(batch(11, 10)).subarray(0, 200);
    const damages: FrameDamage[] = [];
    const decoder = new FrameDecoder({ onDamage: (damage) => damages.push(damage) });
    const frames = decoder.push(concat(encodeFrame(batch(1, 10)), torn, encodeFrame(batch(21, 10)), encodeFrame({ type: 'bye', producer: 'c1', lastSeq: 30 })));
    expect(frames.map((frame) => (frame.type === 'batch' ? frame.firstSeq : frame.type))).toEqual([1, 21, 'bye']);
    expect(damages).toEqual([{ kind: 'corrupt', bytes: 200 }]);
    expect(decoder.end()).toBeUndefined();
  });

  test('flipped bytes in a payload or header are never mis-parsed as records', () => {
    const good = encodeFrame(batch(1, 5));
    for (const position of [0, 3, 6, 9, 17, 22, 26, FRAME_HEADER_BYTES + 10, good.length - 1]) {
      const bad = good.slice();
      bad[position] = (bad[position] as number) ^ 0x01;
      const decoder = new FrameDecoder();
      const frames = decoder.push(concat(bad, encodeFrame(batch(6, 5))));
      expect(frames).toEqual([batch(6, 5)]);
      expect(decoder.damagedBytes).toBe(good.length);
    }
  });

  test('garbage alone is reported as corrupt at the end', () => {
    const decoder = new FrameDecoder();
    expect(decoder.push(new TextEncoder().encode('this is not a frame at all, just text that goes on'))).toEqual([]);
    const damage = decoder.end();
    expect(damage?.kind).toBe('corrupt');
    expect(decoder.damagedBytes).toBe(50);
  });

  test('a header announcing more than maxFrameBytes is treated as corrupt', () => {
    const decoder = new FrameDecoder({ maxFrameBytes: 100 });
    expect(decoder.push(concat(encodeFrame(batch(1, 5)), encodeFrame({ type: 'ack', seq: 5 })))).toEqual([{ type: 'ack', seq: 5 }]);
  });

  test('stopAtDamage: an oversized frame ends decoding at once, reported with its announced size', () => {
    const damages: FrameDamage[] = [];
    const decoder = new FrameDecoder({ maxFrameBytes: 100, stopAtDamage: true, onDamage: (damage) => damages.push(damage) });
    const big = encodeFrame(batch(2, 5));
    const frames = decoder.push(concat(encodeFrame({ type: 'flush', id: 1 }), big, encodeFrame({ type: 'ack', seq: 5 })));
    expect(frames).toEqual([{ type: 'flush', id: 1 }]);
    expect(damages).toEqual([
      { kind: 'corrupt', bytes: big.length + encodeFrame({ type: 'ack', seq: 5 }).length, oversizedBytes: big.length - FRAME_HEADER_BYTES },
    ]);
    expect(decoder.push(encodeFrame({ type: 'flush', id: 2 }))).toEqual([]);
    expect(decoder.end()).toBeUndefined();
  });

  test('stopAtDamage: garbage or a damaged payload ends decoding at once', () => {
    for (const damage of ['garbage', 'payload'] as const) {
      const damages: FrameDamage[] = [];
      const decoder = new FrameDecoder({ stopAtDamage: true, onDamage: (found) => damages.push(found) });
      const frame = encodeFrame(batch(1, 2));
      if (damage === 'payload') frame[FRAME_HEADER_BYTES + 10] = (frame[FRAME_HEADER_BYTES + 10] as number) ^ 0xff;
      const bytes = damage === 'garbage' ? new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n') : frame;
      expect(decoder.push(bytes)).toEqual([]);
      expect(damages).toEqual([{ kind: 'corrupt', bytes: bytes.length }]);
    }
  });
});
