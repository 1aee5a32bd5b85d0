import assert from 'node:assert/strict';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueListener, SinkClosedError } from '@tributary/core';
import type { LogEntry } from '@tributary/core';
import { checkOutput, makeEntries, recordingSinkContext, runSinkConformance, splitLines, waitFor } from '@tributary/core/testing';
import { batchOf } from '@tributary/core/sink';
import type { TestApi } from '@tributary/core/testing';
import { fdDestination, stdoutSink } from '@tributary/sink-stdout';
import { errnoError, memoryDestination } from './memory-destination.ts';
import { thrown } from './thrown.ts';

const ESC = '\u001b';
const lines = (entries: readonly LogEntry[]): string[] => entries.map((entry) => entry.line);

/** The stdout sink: the conformance suite against a temp file, plus its own cases with in-memory destinations. */
export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'stdout sink writing to a temp file',
    create: () => {
      const dir = mkdtempSync(join(tmpdir(), 'sink-stdout-'));
      const path = join(dir, 'out.jsonl');
      const sink = stdoutSink({ destination: fdDestination(openSync(path, 'w'), { closeFd: true }) });
      return {
        sink,
        readBack: async () => splitLines(readFileSync(path, 'utf8')),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  });

  t.describe('stdout sink', () => {
    t.test('json format writes the canonical line as it is', () => {
      const destination = memoryDestination();
      const sink = stdoutSink({ destination, colors: true });
      const entries = makeEntries(20);
      sink.writeSync(batchOf(entries));
      assert.deepEqual(destination.lines(), lines(entries));
      assert.equal(destination.text().includes(ESC), false, 'json output is never coloured');
      assert.equal(sink.name, 'stdout');
      assert.equal(sink.stats.written, 20);
    });

    t.test('text format: a hostile message is one line without a raw control character', async () => {
      const destination = memoryDestination(true);
      const sink = stdoutSink({ destination, format: 'text', colors: false });
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      listener.logger({ producer: 'p' }).info('one\ntwo\rthree \u001b[2J\u001b]0;x\u0007 \u009b1m \u2028 end', { 'k\ney': 'v\u001b' });
      await listener.stop();
      const out = destination.lines();
      assert.equal(out.length, 1);
      assert.match(out[0] as string, /INFO {2}p#1 one\\ntwo\\rthree \\x1b\[2J\\x1b\]0;x\\x07 \\x9b1m \\u2028 end k\\ney=/);
      assert.equal(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(out[0] as string), false);
    });

    t.test('colours: auto follows the terminal, NO_COLOR, FORCE_COLOR and TERM=dumb; explicit settings win', () => {
      const colors = (isTTY: boolean, env: Record<string, string>, setting?: boolean): boolean =>
        stdoutSink({ destination: memoryDestination(isTTY), format: 'text', env, ...(setting === undefined ? {} : { colors: setting }) }).colors;
      assert.equal(colors(true, {}), true);
      assert.equal(colors(false, {}), false);
      assert.equal(colors(true, { NO_COLOR: '1' }), false);
      assert.equal(colors(true, { NO_COLOR: '' }), true, 'an empty NO_COLOR is ignored');
      assert.equal(colors(true, { TERM: 'dumb' }), false);
      assert.equal(colors(false, { FORCE_COLOR: '1' }), true);
      assert.equal(colors(false, { FORCE_COLOR: '' }), true);
      assert.equal(colors(false, { FORCE_COLOR: 'true' }), true);
      assert.equal(colors(true, { FORCE_COLOR: '0' }), false);
      assert.equal(colors(true, { FORCE_COLOR: 'false' }), false);
      assert.equal(colors(false, { FORCE_COLOR: '1', NO_COLOR: '1' }), true, 'FORCE_COLOR wins over NO_COLOR');
      assert.equal(colors(false, { NO_COLOR: '1' }, true), true);
      assert.equal(colors(true, { FORCE_COLOR: '1' }, false), false);

      const coloured = memoryDestination(true);
      stdoutSink({ destination: coloured, format: 'text', env: {} }).writeSync(batchOf(makeEntries(4)));
      assert.ok(coloured.text().includes(`${ESC}[32mINFO`), 'info is green on a terminal');
      const plain = memoryDestination(true);
      stdoutSink({ destination: plain, format: 'text', env: { NO_COLOR: '1' } }).writeSync(batchOf(makeEntries(4)));
      assert.equal(plain.text().includes(ESC), false);
    });

    t.test('bad options throw at configuration time', () => {
      const destination = memoryDestination();
      assert.throws(() => stdoutSink({ destination, format: 'xml' as 'json' }), /stdoutSink: format must be one of "json", "text"; got "xml"/);
      assert.throws(() => stdoutSink({ destination, colors: 'yes' as 'auto' }), /stdoutSink: colors must be one of "auto", true, false; got "yes"/);
      assert.throws(() => stdoutSink({ destination, syncWriteTimeout: -1 }), RangeError);
      assert.throws(() => stdoutSink({ destination, name: '' }), /name must be a non-empty string/);
      assert.throws(() => stdoutSink({ destination: {} as typeof destination }), /writeSome/);
      assert.throws(() => fdDestination(-1), /file descriptor/);
    });

    t.test('a custom formatter that throws does not lose the record: its canonical line is written', () => {
      const destination = memoryDestination();
      const sink = stdoutSink({
        destination,
        format: (entry) => {
          if (entry.record.seq % 2 === 0) throw new Error('formatter bug');
          return `custom ${entry.record.seq}`;
        },
      });
      const entries = makeEntries(4);
      sink.writeSync(batchOf(entries));
      assert.deepEqual(destination.lines(), ['custom 1', entries[1]?.line, 'custom 3', entries[3]?.line]);
      assert.equal(sink.stats.formatErrors, 2);
    });

    t.test('a full pipe (EAGAIN): write returns a promise that resolves once the bytes were taken', async () => {
      const destination = memoryDestination();
      destination.room = 100;
      const sink = stdoutSink({ destination });
      const entries = makeEntries(50);
      const pending = sink.write(batchOf(entries));
      assert.ok(pending instanceof Promise, 'a write that has to wait returns a promise');
      let settled = false;
      void pending.then(() => (settled = true));
      await waitFor(() => sink.stats.waits >= 3, 'a few retries at the full pipe');
      assert.equal(settled, false);
      assert.equal(destination.text().length, 100);
      assert.ok(sink.stats.pendingBytes > 0);
      const flushed = sink.flush();
      destination.room = Number.POSITIVE_INFINITY;
      await pending;
      await flushed;
      assert.deepEqual(destination.lines(), lines(entries));
      assert.equal(sink.stats.written, 50);
      assert.equal(sink.stats.pendingBytes, 0);
      await sink.close();
    });

    t.test('writeSync while a write waits finishes that write first, in order (the exit path)', async () => {
      const destination = memoryDestination();
      destination.room = 100;
      const sink = stdoutSink({ destination });
      const first = makeEntries(30, 'p', 1);
      const second = makeEntries(30, 'p', 31);
      const pending = sink.write(batchOf(first));
      destination.room = Number.POSITIVE_INFINITY;
      sink.writeSync(batchOf(second));
      assert.deepEqual(destination.lines(), [...lines(first), ...lines(second)]);
      await pending;
      assert.equal(sink.stats.written, 60);
      await sink.close();
    });

    t.test('writeSync gives up on a stalled reader after syncWriteTimeout, and does not wait again until bytes move', async () => {
      const destination = memoryDestination();
      destination.room = 0;
      const sink = stdoutSink({ destination, syncWriteTimeout: 50 });
      const error = await thrown(() => sink.writeSync(batchOf(makeEntries(5))));
      assert.match(String((error as Error).message), /took no bytes for 50 ms/);
      assert.equal(sink.stats.failed, 5);
      const again = await thrown(() => sink.writeSync(batchOf(makeEntries(2, 'p', 6))));
      assert.match(String((again as Error).message), /took no bytes for 0 ms/);
      destination.room = Number.POSITIVE_INFINITY;
      const later = makeEntries(3, 'p', 8);
      sink.writeSync(batchOf(later));
      assert.deepEqual(destination.lines(), lines(later));
      assert.equal(sink.stats.failed, 7);
    });

    t.test('a write that fails in the middle of a record carries the rest, so no line is torn', async () => {
      const destination = memoryDestination();
      const first = makeEntries(3, 'p', 1);
      const second = makeEntries(2, 'p', 4);
      const firstLength = new TextEncoder().encode(`${first[0]?.line}\n`).length;
      destination.failure = { error: errnoError('EIO'), after: firstLength + 10, once: true };
      const sink = stdoutSink({ destination });
      const error = await thrown(() => sink.write(batchOf(first)));
      assert.equal((error as { code?: string }).code, 'EIO');
      assert.equal(sink.stats.written, 1);
      assert.equal(sink.stats.failed, 1, 'the third record failed; the second is carried');
      await sink.write(batchOf(second));
      assert.deepEqual(destination.lines(), [first[0]?.line, first[1]?.line, ...lines(second)]);
      assert.equal(sink.stats.written, 4);
      assert.equal(checkOutput(destination.lines()).torn, 0);
    });

    t.test('EPIPE: the unsent records reported dropped once, then quiet discarding, counted and reported at close', async () => {
      const destination = memoryDestination();
      const entries = makeEntries(5);
      const twoRecords = new TextEncoder().encode(`${entries[0]?.line}\n${entries[1]?.line}\n`).length;
      destination.failure = { error: errnoError('EPIPE'), after: twoRecords + 7, once: false };
      const sink = stdoutSink({ destination });
      const context = recordingSinkContext();
      sink.open?.(context);
      assert.equal(await sink.write(batchOf(entries)), undefined, 'no throw: the sink handles a closed pipe itself');
      assert.deepEqual(
        context.drops.map((drop) => drop.records),
        [3],
      );
      assert.match(context.drops[0]?.reason ?? '', /reader closed the pipe \(EPIPE\)/);
      assert.equal(await sink.write(batchOf(makeEntries(4, 'p', 6))), undefined);
      sink.writeSync(batchOf(makeEntries(2, 'p', 10)));
      assert.deepEqual(sink.stats, {
        written: 2,
        dropped: 9,
        failed: 0,
        pendingRecords: 0,
        pendingBytes: 0,
        bytes: twoRecords + 7,
        waits: 0,
        formatErrors: 0,
        pipeClosed: true,
      });
      await sink.close();
      await sink.close();
      assert.deepEqual(
        context.drops.map((drop) => drop.records),
        [3, 6],
        'the discarded ones reported once, at close',
      );
      assert.equal(context.failures.length, 0);
      assert.ok((await thrown(() => sink.write(batchOf(makeEntries(1))))) instanceof SinkClosedError);
    });

    t.test('EPIPE while waiting for room settles the waiting write and reports its records dropped', async () => {
      const destination = memoryDestination();
      destination.room = 10;
      const sink = stdoutSink({ destination });
      const context = recordingSinkContext();
      sink.open?.(context);
      const pending = sink.write(batchOf(makeEntries(10)));
      await waitFor(() => sink.stats.waits > 0, 'the write to wait');
      destination.failure = { error: errnoError('EPIPE'), after: 0, once: false };
      destination.room = Number.POSITIVE_INFINITY;
      await pending;
      assert.equal(sink.stats.dropped, 10);
      assert.equal(context.droppedRecords, 10);
      await sink.close();
    });

    t.test('EPIPE through a listener: reported once, the application carries on', async () => {
      const destination = memoryDestination();
      destination.failure = { error: errnoError('EPIPE'), after: 500, once: false };
      const sink = stdoutSink({ destination });
      const reports: string[] = [];
      const listener = new QueueListener({ sinks: [sink], onReport: (report) => reports.push(report.message), drainOnExit: false });
      const log = listener.logger({ producer: 'app' });
      for (let index = 0; index < 3_000; index++) log.info('after the reader left', { index });
      await listener.flush();
      for (let index = 0; index < 3_000; index++) log.info('still logging', { index });
      const summary = await listener.stop();
      assert.equal(summary.timedOut, false);
      assert.equal(reports.filter((text) => text.includes('the reader closed the pipe (EPIPE)')).length, 1, reports.join(' | '));
      assert.equal(reports.length, 2, 'the closed pipe once, the records discarded after it once (at stop)');
      const { written, dropped } = sink.stats;
      assert.ok(written > 0 && dropped > 0);
      assert.equal(written + dropped, 6_000, 'every record written or counted dropped');
      const runner = summary.sinks[0];
      assert.deepEqual([runner?.dropped, runner?.failed], [dropped, 0], 'the listener counts the same drops');
      assert.equal(checkOutput(destination.lines()).torn, 1, 'only the record cut by the closed pipe is partial');
    });

    t.test(
      'a stalled reader keeps memory bounded: the sink holds at most one batch; beyond the bound a log call waits syncWriteTimeout once, then what does not fit is counted failed',
      async () => {
        const destination = memoryDestination();
        destination.room = 0;
        const sink = stdoutSink({ destination, syncWriteTimeout: 100 });
        const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: 20_000 }], drainOnExit: false, onReport: () => {} });
        const log = listener.logger({ producer: 'app' });
        for (let index = 0; index < 2_000; index++) log.info('into a stalled pipe', { index });
        await waitFor(() => sink.stats.waits > 0, 'the sink to wait for room');
        const stalled = listener.stats.sinks[0];
        assert.ok(stalled !== undefined && stalled.failed > 0, 'records the stalled pipe did not take are counted failed');
        assert.equal(stalled.dropped, 0, 'the full queue was written with writeSync (back-pressure), not dropped');
        assert.ok(sink.stats.pendingBytes <= 1_100_000, 'the sink holds at most one batch');
        destination.room = Number.POSITIVE_INFINITY;
        const summary = await listener.stop();
        assert.equal(summary.timedOut, false);
        const check = checkOutput(destination.lines());
        assert.equal(check.torn, 0);
        const failed = summary.sinks[0]?.failed ?? 0;
        assert.equal(summary.sinks[0]?.dropped, 0);
        assert.equal(check.producers.get('app')?.count, 2_000 - failed, 'every record written or counted failed');
        assert.deepEqual([check.missing > 0, check.duplicated, check.outOfOrder], [true, 0, 0]);
        const told = (check.notices.get('tributary.dropped') ?? []).reduce((sum, notice) => sum + Number(notice['writeFailed']), 0);
        assert.equal(told, failed, 'the sink is told of every failed record once it writes again');
      },
    );

    t.test('close waits for a waiting write, is idempotent, and closes the destination', async () => {
      const destination = memoryDestination();
      destination.room = 50;
      const sink = stdoutSink({ destination });
      const entries = makeEntries(10);
      const pending = sink.write(batchOf(entries));
      const closing = sink.close();
      assert.ok((await thrown(() => sink.write(batchOf(makeEntries(1))))) instanceof SinkClosedError);
      assert.throws(() => sink.writeSync(batchOf(makeEntries(1))), SinkClosedError);
      destination.room = Number.POSITIVE_INFINITY;
      await Promise.all([pending, closing, sink.close(), sink[Symbol.asyncDispose]()]);
      assert.equal(destination.closed, true);
      assert.deepEqual(destination.lines(), lines(entries));
    });
  });
}
