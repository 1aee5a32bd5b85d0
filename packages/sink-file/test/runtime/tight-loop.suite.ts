import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { checkOutput, logInTightLoop, splitLines } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { fileSink } from '@tributary/sink-file';

const MiB = 1024 * 1024;
/** Log calls per loop, as in issue 19's measurement. */
const RECORDS = 500_000;
/** Characters of padding per record: over 190 MiB of padding in all, more than the RSS bound below. */
const PAD_CHARS = 400;
/**
 * Generous bound on the growth of the resident set during the loop (measured with 300 characters of
 * padding: 45 MiB on Node 20, 93 MiB on Deno 2.9, 42 MiB on Bun 1.4). The listener's default queue
 * is 64 MiB per sink, and a queue that held everything would need more than all the padding logged.
 */
const RSS_GROWTH_BOUND_BYTES = 160 * MiB;

async function inTempDir(body: (path: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'tributary-tight-'));
  try {
    await body(join(dir, 'app.log'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assertEveryRecordOnceInOrder(lines: readonly string[], records: number): void {
  const check = checkOutput(lines);
  assert.deepEqual(
    [check.producers.get('loop')?.count, check.producers.get('loop')?.maxSeq, check.missing, check.duplicated, check.outOfOrder, check.torn],
    [records, records, 0, 0, 0, 0],
    'every record once, in order, none torn',
  );
  assert.equal(check.notices.get('tributary.dropped'), undefined, 'nothing dropped to report');
}

/** A loop of log calls that never yields, on the listener's thread, into a file (issue 19). */
export default function suite(t: TestApi): void {
  t.describe('fileSink: a loop that never yields', () => {
    t.test(
      `${RECORDS.toLocaleString('en-US')} log calls with default options: nothing dropped, every record once in order, peak RSS bounded`,
      () =>
        inTempDir(async (path) => {
          const listener = new QueueListener({ sinks: [fileSink({ path })] });
          const loop = logInTightLoop(listener, { records: RECORDS, padChars: PAD_CHARS });
          assert.equal(loop.droppedBeforeYield, 0, 'nothing dropped before the loop yields');
          const growth = loop.peakRssBytes - loop.startRssBytes;
          assert.ok(loop.padBytes > RSS_GROWTH_BOUND_BYTES, 'the loop logs more than the bound: a queue holding it all would exceed it');
          assert.ok(growth < RSS_GROWTH_BOUND_BYTES, `peak RSS grew ${(growth / MiB).toFixed(0)} MiB (bound ${RSS_GROWTH_BOUND_BYTES / MiB} MiB)`);
          const summary = await listener.stop();
          assert.equal(summary.complete, true, JSON.stringify(summary.sinks));
          assertEveryRecordOnceInOrder(splitLines(fs.readFileSync(path, 'utf8')), RECORDS);
        }),
      300_000,
    );

    t.test(
      'with the asynchronous path held up (a flush pending when the loop starts), the full queue is written by the log calls: nothing dropped',
      () =>
        inTempDir(async (path) => {
          const listener = new QueueListener({ sinks: [fileSink({ path })] });
          // The listener's pump waits for the sink's flush while the loop runs, so the default 64 MiB
          // queue fills: from then on each log call that finds it full writes a batch with writeSync.
          const flushed = listener.flush();
          const records = 200_000;
          const loop = logInTightLoop(listener, { records, padChars: 400 });
          assert.ok(loop.padBytes > 64 * MiB, 'the loop logs more than the default queue holds');
          assert.equal(loop.droppedBeforeYield, 0, 'nothing dropped before the loop yields');
          assert.equal(await flushed, true);
          const summary = await listener.stop();
          assert.equal(summary.complete, true, JSON.stringify(summary.sinks));
          assertEveryRecordOnceInOrder(splitLines(fs.readFileSync(path, 'utf8')), records);
        }),
      300_000,
    );
  });
}
