import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskSpool, resolveSpoolOptions } from '@tributary/core/sink';
import type { SpoolOptions } from '@tributary/core/sink';
import { recordingSinkContext } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/** Line `index` of 99 characters (100 bytes with its newline), so that byte limits give exact counts. */
function line(index: number): string {
  const head = `{"msg":"spooled","index":${index},"padding":"`;
  return `${head}${'x'.repeat(99 - head.length - 2)}"}`;
}

function lines(from: number, to: number): string[] {
  return Array.from({ length: to - from + 1 }, (_, offset) => line(from + offset));
}

function indexes(of: readonly string[] | undefined): number[] {
  return (of ?? []).map((text) => (JSON.parse(text) as { index: number }).index);
}

function withSpool(options: Omit<SpoolOptions, 'dir'>, body: (open: () => DiskSpool, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-disk-spool-'));
  try {
    body(
      () => DiskSpool.open(resolveSpoolOptions('test', { dir, ...options }, 'test-sink') as NonNullable<ReturnType<typeof resolveSpoolOptions>>, 'test'),
      dir,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The kit's disk spool on its own: order, exact overflow counts, files removed as confirmed. */
export default function suite(t: TestApi): void {
  t.describe('DiskSpool', () => {
    t.test('appends come back oldest first, one spool file at a time, and a confirmed file is removed; a reopened spool has what was left', () => {
      withSpool({ maxBytes: 2_000 }, (open, dir) => {
        const context = recordingSinkContext();
        const spool = open();
        assert.equal(spool.append(lines(1, 5), context), 5);
        assert.equal(spool.append(lines(6, 6), context), 1);
        assert.deepEqual([spool.records, spool.bytes], [6, 600]);
        // maxBytes 2,000: spool files of 250 bytes, two lines each
        const first = spool.takeOldest(context);
        assert.deepEqual(indexes(first?.lines), [1, 2]);
        assert.equal(spool.records, 4);
        spool.confirm(first?.segment ?? -1);
        assert.equal(spool.bytes, 400);
        spool.close();
        const again = open();
        assert.deepEqual([again.records, again.bytes], [4, 400]);
        again.announce(context, 'test-sink');
        assert.equal(context.notices[0]?.fields.records, 4);
        assert.deepEqual(indexes(again.takeOldest(context)?.lines), [3, 4]);
        assert.equal(context.droppedRecords, 0);
        again.close();
        assert.equal(readdirSync(dir).filter((name) => name.endsWith('.lock')).length, 0, 'the lock is given back');
      });
    });

    t.test("overflow 'newest': the records arriving beyond maxBytes are dropped, counted exactly", () => {
      withSpool({ maxBytes: 2_000, overflow: 'newest' }, (open) => {
        const context = recordingSinkContext();
        const spool = open();
        assert.equal(spool.append(lines(1, 30), context), 20);
        assert.equal(spool.append(lines(31, 33), context), 0);
        assert.deepEqual([context.droppedRecords, spool.records], [13, 20]);
        assert.match(context.drops[0]?.reason ?? '', /spool\.maxBytes 2000\): the newest records were dropped/);
        assert.deepEqual(indexes(spool.takeOldest(context)?.lines), [1, 2]);
        spool.close();
      });
    });

    t.test("overflow 'oldest': whole spool files of the oldest records make room, counted exactly", () => {
      withSpool({ maxBytes: 2_000, overflow: 'oldest' }, (open) => {
        const context = recordingSinkContext();
        const spool = open();
        assert.equal(spool.append(lines(1, 30), context), 20, 'the newest 20 of 30 fit');
        assert.equal(context.droppedRecords, 10);
        assert.equal(spool.append(lines(31, 34), context), 4);
        assert.deepEqual([context.droppedRecords, spool.records], [14, 20], 'two spool files of two lines made room');
        assert.deepEqual(indexes(spool.takeOldest(context)?.lines), [15, 16]);
        spool.close();
      });
    });

    t.test('prepend puts what the sink held before everything, in place of the files it had taken', () => {
      withSpool({}, (open) => {
        const context = recordingSinkContext();
        const spool = open();
        spool.append(lines(1, 4), context);
        const taken = spool.takeOldest(context);
        spool.append(lines(5, 6), context);
        // records 1 and 2 were delivered; 3 and 4 are still held, with 7 that arrived in memory
        assert.equal(spool.prepend([line(3), line(4), line(7)], [taken?.segment ?? -1], context), 3);
        assert.deepEqual(indexes(spool.takeOldest(context)?.lines), [3, 4, 7]);
        assert.deepEqual(indexes(spool.takeOldest(context)?.lines), [5, 6]);
        assert.equal(spool.takeOldest(context), undefined);
        assert.equal(context.droppedRecords, 0);
        spool.close();
      });
    });
  });
}
