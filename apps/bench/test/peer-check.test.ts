import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPeerOutput } from '../src/scenarios/peer-check.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-peer-check-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'out.jsonl'), text);
  return join(dir, 'out.jsonl');
}

describe('checkPeerOutput', () => {
  it('counts distinct n per producer; duplicates count once', () => {
    const line = (producer: string, n: number): string => JSON.stringify({ msg: 'request handled', producer, n, user: 'alice' });
    const check = checkPeerOutput(file([line('w1', 1), line('w1', 2), line('w2', 1), line('w1', 2)].join('\n') + '\n'));
    expect(check.verified).toBe(3);
    expect(check.torn).toBe(0);
    expect([...check.perProducer]).toEqual([
      ['w1', 2],
      ['w2', 1],
    ]);
  });

  it('counts lines that are not a JSON record with producer and n as torn', () => {
    const text = ['{"producer":"w1","n":1}', '{"producer":"w1","n":2', '200}', '{"producer":"w2","n":"3"}', 'null'].join('\n');
    const check = checkPeerOutput(file(text));
    expect(check.verified).toBe(1);
    expect(check.torn).toBe(4);
  });

  it('a missing file means nothing arrived', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-peer-check-'));
    dirs.push(dir);
    expect(checkPeerOutput(join(dir, 'absent.jsonl'))).toEqual({ verified: 0, torn: 0, perProducer: new Map() });
  });
});
