import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { checkOutput, logInTightLoop } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { rotatingFileSink } from '@tributary/sink-rotating-file';
import { inDir, linesAcross, numberedFiles } from './helpers.ts';

const MiB = 1024 * 1024;
/** Log calls per loop, as in issue 19's measurement. */
const RECORDS = 500_000;
/** Characters of padding per record: over 190 MiB of padding in all, more than the RSS bound below. */
const PAD_CHARS = 400;
/** Rotate at this size: about 15 files for the whole loop. */
const MAX_SIZE_BYTES = 16 * MiB;
/**
 * Generous bound on the growth of the resident set during the loop: the listener's default queue
 * is 64 MiB per sink, and a queue that held everything would need more than all the padding logged.
 */
const RSS_GROWTH_BOUND_BYTES = 160 * MiB;

/** A loop of log calls that never yields, on the listener's thread, into rotating files (issue 19). */
export default function suite(t: TestApi): void {
  t.describe('rotatingFileSink: a loop that never yields', () => {
    t.test(
      `${RECORDS.toLocaleString('en-US')} log calls with default listener options, rotating every 16 MiB: nothing dropped, every record once in order across the files, peak RSS bounded`,
      () =>
        inDir(async (dir, path) => {
          const listener = new QueueListener({ sinks: [rotatingFileSink({ path, maxSize: MAX_SIZE_BYTES, maxFiles: 100 })] });
          const loop = logInTightLoop(listener, { records: RECORDS, padChars: PAD_CHARS });
          assert.equal(loop.droppedBeforeYield, 0, 'nothing dropped before the loop yields');
          const growth = loop.peakRssBytes - loop.startRssBytes;
          assert.ok(loop.padBytes > RSS_GROWTH_BOUND_BYTES, 'the loop logs more than the bound: a queue holding it all would exceed it');
          assert.ok(growth < RSS_GROWTH_BOUND_BYTES, `peak RSS grew ${(growth / MiB).toFixed(0)} MiB (bound ${RSS_GROWTH_BOUND_BYTES / MiB} MiB)`);
          const summary = await listener.stop();
          assert.equal(summary.complete, true, JSON.stringify(summary.sinks));
          const files = numberedFiles(dir);
          assert.ok(files.length > 5, `the loop rotated; files: ${files.length}`);
          const check = checkOutput(linesAcross(files));
          assert.deepEqual(
            [check.producers.get('loop')?.count, check.producers.get('loop')?.maxSeq, check.missing, check.duplicated, check.outOfOrder, check.torn],
            [RECORDS, RECORDS, 0, 0, 0, 0],
            'every record once, in order across the files, none torn',
          );
          assert.equal(check.notices.get('tributary.dropped'), undefined, 'nothing dropped to report');
        }),
      300_000,
    );
  });
}
