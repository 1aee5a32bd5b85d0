import { describe, expect, it } from 'vitest';
import { QueueListener } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import { compareLines, lineShape, sampleLine } from '../src/line-shape.ts';
import { LimitLines, LineBatcher } from '../src/scenarios/limit-line.ts';

const FIELDS = { n: 7, user: 'alice', path: '/api/items', status: 200 };

/** Lines a real Tributary logger writes, through a listener, to a memory sink. */
async function tributaryLines(name: string, msg: string, fields: Readonly<Record<string, unknown>>, count: number): Promise<string[]> {
  const sink = memorySink();
  const listener = new QueueListener({ sinks: [sink] });
  const log = listener.logger({ name });
  for (let index = 0; index < count; index++) log.info(msg, fields);
  await listener.stop();
  return sink.lines().filter((line) => line.includes(`"msg":${JSON.stringify(msg)}`));
}

describe("the limit loop's line", () => {
  it("is Tributary's line byte for byte, for the same time, producer, seq and pid", async () => {
    for (const [name, msg, fields] of [
      ['', 'request handled', FIELDS],
      ['bench', 'bench record', { index: 3, user: 'u-42', path: '/api/items', ms: 12.5 }],
    ] as const) {
      const lines = await tributaryLines(name, msg, fields, 3);
      expect(lines).toHaveLength(3);
      for (const line of lines) {
        const record = JSON.parse(line) as { time: string; producer: string; seq: number; pid: number };
        const limit = new LimitLines({ logger: name, producer: record.producer, pid: record.pid });
        expect(limit.line(msg, record.seq, fields, Date.parse(record.time))).toBe(line);
      }
    }
  });

  it('makes a new time when the millisecond changes, and closes an empty field set', () => {
    const limit = new LimitLines({ logger: 'x', producer: 'w1', pid: 42 });
    expect(limit.line('m', 1, {}, 0)).toBe('{"time":"1970-01-01T00:00:00.000Z","level":"info","msg":"m","logger":"x","producer":"w1","seq":1,"pid":42}');
    expect(limit.line('m', 2, { a: 1 }, 1)).toBe(
      '{"time":"1970-01-01T00:00:00.001Z","level":"info","msg":"m","logger":"x","producer":"w1","seq":2,"pid":42,"a":1}',
    );
  });
});

describe('LineBatcher', () => {
  it('hands on one string per batch of lines, each line ending in a newline, and the rest on flush', () => {
    const sent: string[] = [];
    const batcher = new LineBatcher((text) => sent.push(text), 3);
    for (let index = 1; index <= 7; index++) batcher.add(`l${index}`);
    expect(sent).toEqual(['l1\nl2\nl3\n', 'l4\nl5\nl6\n']);
    batcher.flush();
    batcher.flush();
    expect(sent).toEqual(['l1\nl2\nl3\n', 'l4\nl5\nl6\n', 'l7\n']);
  });
});

describe('line checks', () => {
  const tributary = '{"time":"2026-12-04T23:00:00.000Z","level":"info","msg":"m","logger":"","producer":"w1","seq":1,"pid":1234,"n":1}';

  it('finds the line of a producer and seq in JSON lines', () => {
    const other = tributary.replace('"seq":1,', '"seq":11,');
    expect(sampleLine(`${other}\n${tributary}\n`, 'w1')).toBe(tributary);
    expect(sampleLine(`${other}\n`, 'w1')).toBeUndefined();
    expect(sampleLine(tributary, 'w2')).toBeUndefined();
  });

  it('masks only the time and the pid', () => {
    expect(compareLines(tributary, tributary.replace('23:00:00.000', '23:59:59.999').replace('1234', '99'))).toEqual({
      same: true,
      bytes: 113,
      comparedBytes: 111,
    });
    const shorter = tributary.replace('"logger":"",', '');
    expect(compareLines(tributary, shorter)).toMatchObject({ same: false, lines: [tributary, shorter] });
    expect(lineShape(tributary.replace('"n":1', '"n":2'))).not.toBe(lineShape(tributary));
  });
});
