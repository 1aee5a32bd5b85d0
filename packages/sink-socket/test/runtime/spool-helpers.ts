/** Shared pieces of the spool suite: folders, the exit fixture, and reading what arrived. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueueListener } from '@tributary/core';
import { runtime } from '@tributary/core/sink';
import { createReceiver } from '@tributary/sink-socket/receiver';
import type { Receiver } from '@tributary/sink-socket/receiver';

const EXIT_FIXTURE = fileURLToPath(new URL('../fixtures/spool-exit.mjs', import.meta.url));
/** How the exit fixture leaves: process.exit(3), an uncaught exception, or the signal the parent sends. */
export const EXIT_MODES = ['exit', 'throw', 'sigterm', 'sigint'] as const;
export type ExitMode = (typeof EXIT_MODES)[number];

/** A fresh folder for one test's spool, and a file beside it for the exit fixture's neighbour sink; removed by `cleanup`. */
export function spoolFolder(): { dir: string; neighbourFile: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), 'tributary-socket-spool-'));
  const dir = join(base, 'spool');
  return { dir, neighbourFile: join(base, 'neighbour.jsonl'), cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** The lines the exit fixture's neighbour sink wrote. */
export function neighbourLines(file: string): string[] {
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
    : [];
}

export function spoolFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
}

/** A port where nobody listens (a receiver's, closed again). */
export async function closedPort(): Promise<number> {
  const probe = await createReceiver();
  const port = probe.port;
  await probe.close();
  return port;
}

/** The records' JSON as the receiver got them. */
export function payloads(...receivers: Receiver[]): string[] {
  return receivers.flatMap((receiver) => receiver.records().map((record) => record.payload));
}

/**
 * Every (producer, seq) key with message `msg` in `lines`, how many came more than once, how many
 * first arrivals were out of order (per producer, a seq lower than an earlier first arrival's), and
 * how many lines were not JSON (a frame cut by a killed connection, which the receiver still hands on).
 */
export function arrivals(lines: Iterable<string>, msg: string): { keys: Set<string>; duplicates: number; outOfOrder: number; torn: number } {
  const keys = new Set<string>();
  const lastSeq = new Map<string, number>();
  let duplicates = 0;
  let outOfOrder = 0;
  let torn = 0;
  for (const line of lines) {
    let record: { msg: string; producer: string; seq: number };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      torn += 1;
      continue;
    }
    if (record.msg !== msg) continue;
    const key = `${record.producer}#${record.seq}`;
    if (keys.has(key)) {
      duplicates += 1;
      continue;
    }
    keys.add(key);
    if (record.seq < (lastSeq.get(record.producer) ?? Number.NEGATIVE_INFINITY)) outOfOrder += 1;
    lastSeq.set(record.producer, record.seq);
  }
  return { keys, duplicates, outOfOrder, torn };
}

/**
 * Runs the exit fixture on this runtime; on 'fixture.state' in a signal mode, calls `beforeSignal`
 * (the fixture is alive and holds its spool) and sends the signal. Its exit code, signal and stdout lines.
 */
export function runExitFixture(
  args: readonly string[],
  mode: ExitMode,
  beforeSignal: (state: { pid: number }) => void = () => {},
): Promise<{ code: number | null; signal: string | null; lines: string[] }> {
  const prefix = runtime === 'deno' ? ['run', '-A', EXIT_FIXTURE] : [EXIT_FIXTURE];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...prefix, ...args, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let signalled = false;
    child.stderr.resume();
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const stateLine = stdout.split('\n').find((line) => line.includes('"fixture.state"') && line.endsWith('}'));
      if (mode.startsWith('sig') && !signalled && stateLine !== undefined) {
        signalled = true;
        try {
          beforeSignal(JSON.parse(stateLine) as { pid: number });
        } finally {
          child.kill(mode === 'sigterm' ? 'SIGTERM' : 'SIGINT');
        }
      }
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the fixture did not end within 60 s'));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, lines: stdout.split('\n').filter((line) => line !== '') });
    });
  });
}

/** Logs `count` records on each of `producers` main-thread producers, interleaved. */
export function logInterleaved(listener: QueueListener, producers: number, count: number): void {
  const loggers = Array.from({ length: producers }, (_, index) => listener.logger({ producer: `p${index + 1}`, name: 'spool' }));
  for (let index = 1; index <= count; index++) {
    for (const logger of loggers) logger.info('fault run', { index, padding: 'x'.repeat(160) });
  }
}

/** The sum of a numeric field of the `msg` notices in `lines`. */
export function noticeSum(lines: Iterable<string>, msg: string, field: string): number {
  let total = 0;
  for (const line of lines) {
    const record = JSON.parse(line) as Record<string, unknown>;
    if (record['msg'] === msg) total += Number(record[field] ?? 0);
  }
  return total;
}
