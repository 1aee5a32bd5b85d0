import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueueListener } from '@tributary/core';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { Receiver } from '@tributary/sink-otlp/receiver';
import { closedPort, keysOf, noEnvironment, openWithContext, reportedDrops, runFixture, scriptCommand } from './helpers.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/spool-exit.mjs', import.meta.url));
const HOLD_FIXTURE = fileURLToPath(new URL('../fixtures/spool-hold.mjs', import.meta.url));
const PRODUCERS = 4;
const PER_PRODUCER = 25_000;
const TOTAL = PRODUCERS * PER_PRODUCER;
const isWindows = process.platform === 'win32';

/** A fresh folder for one test's spool, removed by `cleanup`. */
function spoolFolder(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-spool-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function spoolFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
}

/** Logs `count` records on each of `producers` main-thread producers, interleaved. */
function logInterleaved(listener: QueueListener, producers: number, count: number): void {
  const loggers = Array.from({ length: producers }, (_, index) => listener.logger({ producer: `p${index + 1}`, name: 'spool' }));
  for (let index = 1; index <= count; index++) {
    for (const logger of loggers) logger.info('fault run', { index, padding: 'x'.repeat(40) });
  }
}

/** The `index` fields of the records with message `msg` in `lines`. */
function indexesOf(lines: Iterable<string>, msg = 'fault run'): number[] {
  const indexes: number[] = [];
  for (const line of lines) {
    const record = JSON.parse(line) as { msg: string; index: number };
    if (record.msg === msg) indexes.push(record.index);
  }
  return indexes;
}

/** The disk spool of the OTLP sink: nothing lost at exit or during an outage, limits counted exactly. */
export default function suite(t: TestApi): void {
  t.describe('otlp sink with a disk spool', () => {
    t.test('process.exit() with the collector unreachable the whole run, then the next start with it up: every record once, in order', async () => {
      const { dir, cleanup } = spoolFolder();
      let receiver: Receiver | undefined;
      try {
        const port = await closedPort();
        const { code, lines } = await runFixture(FIXTURE, [`http://127.0.0.1:${port}/v1/logs`, dir, '5000', '500']);
        assert.equal(code, 3);
        const state = JSON.parse(lines.find((line) => line.includes('fixture.state')) ?? '{}') as {
          pendingRecords: number;
          spooledRecords: number;
          pid: number;
        };
        assert.ok(state.spooledRecords > 0, 'the outage sent records beyond the buffer to the spool while the process ran');
        const files = readdirSync(dir);
        assert.ok(spoolFiles(dir).length > 0, 'the spool files are left for the next start');
        const lock = files.find((name) => name.endsWith('.lock'));
        assert.equal(readFileSync(join(dir, lock ?? 'missing'), 'utf8').trim(), String(state.pid), 'the exited process left its lock');
        if (!isWindows) {
          for (const name of files) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, `${name} is 0600`);
          assert.equal(statSync(dir).mode & 0o777, 0o700, 'the spool folder is 0700');
        }

        receiver = await createReceiver({ port });
        const sink = otlpSink({ endpoint: receiver.url, env: noEnvironment, spool: { dir, name: 'spool-test' } });
        const context = openWithContext(sink);
        await waitFor(() => receiver !== undefined && receiver.accepted >= 5_500, 'the spooled records at the receiver', 60_000);
        await waitFor(() => spoolFiles(dir).length === 0, 'the spool files removed once confirmed');
        await sink.close();
        const { keys, duplicates } = keysOf(receiver.lines(), 'spooled');
        assert.deepEqual([keys.size, duplicates], [5_500, 0], 'every record once');
        const check = checkOutput(receiver.lines());
        assert.deepEqual([check.producers.get('exiting')?.count, check.producers.get('exiting')?.outOfOrder], [5_500, 0], 'in order');
        const restored = context.notices.find((notice) => notice.event === 'tributary.spool_restored');
        assert.equal(restored?.fields.records, 5_500, 'the restored records were announced');
        assert.deepEqual([context.droppedRecords, sink.stats.written, sink.stats.spooledRecords], [0, 5_500, 0]);
        assert.deepEqual(readdirSync(dir), [], 'close() gave the lock back');
      } finally {
        await receiver?.close();
        cleanup();
      }
    });

    t.test(
      '4 producers × 25,000 records, a buffer of 2,000: the receiver killed and restarted mid-run — with the spool nothing lost, nothing dropped',
      async () => {
        const { dir, cleanup } = spoolFolder();
        const first = await createReceiver();
        const port = first.port;
        let second: Receiver | undefined;
        try {
          const sink = otlpSink({
            endpoint: first.url,
            env: noEnvironment,
            bufferRecords: 2_000,
            spool: { dir },
            retry: { initialDelayMs: 50, maxDelayMs: 200 },
          });
          const neighbour = memorySink('neighbour');
          const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: () => {}, stopTimeout: 120_000 });
          logInterleaved(listener, PRODUCERS, PER_PRODUCER);
          await waitFor(() => first.accepted >= TOTAL / 5, 'a fifth of the records at the first receiver', 60_000);
          await first.close();
          await waitFor(() => !sink.stats.available, 'the sink to notice the receiver is gone', 30_000);
          await waitFor(() => sink.stats.spooledRecords > 0, 'records beyond the buffer spooled during the outage', 60_000);
          second = await createReceiver({ port });
          await waitFor(
            () => sink.stats.written >= TOTAL && sink.stats.pendingRecords === 0 && sink.stats.spooledRecords === 0,
            'every record delivered, nothing held or spooled',
            120_000,
          );
          const summary = await listener.stop();

          const { keys, duplicates } = keysOf([...first.lines(), ...second.lines()]);
          assert.equal(keys.size, TOTAL, 'every record arrived');
          // a request whose answer the kill cut off is sent again (at-least-once): at most one request's worth
          assert.ok(duplicates <= 512, `${duplicates} records twice`);
          assert.deepEqual([sink.stats.dropped, sink.stats.failed, summary.sinks[0]?.dropped], [0, 0, 0]);
          assert.ok(sink.stats.spooled > 0 && sink.stats.spooledRecords === 0, 'the spool was used and emptied');
          const check = checkOutput([...first.lines(), ...second.lines()]);
          for (let producer = 1; producer <= PRODUCERS; producer++) assert.equal(check.producers.get(`p${producer}`)?.outOfOrder, 0, 'each producer in order');
          assert.deepEqual(spoolFiles(dir), [], 'the spool files are gone');
        } finally {
          await first.close();
          await second?.close();
          cleanup();
        }
      },
      180_000,
    );

    for (const overflow of ['newest', 'oldest'] as const) {
      t.test(`spool.maxBytes reached during an outage, overflow '${overflow}': the ${overflow} records dropped, counted and reported exactly`, async () => {
        const { dir, cleanup } = spoolFolder();
        const port = await closedPort();
        let receiver: Receiver | undefined;
        try {
          const count = 3_000;
          const sink = otlpSink({
            endpoint: `http://127.0.0.1:${port}/v1/logs`,
            env: noEnvironment,
            bufferRecords: 100,
            spool: { dir, maxBytes: 64 * 1024, overflow },
            retry: { initialDelayMs: 50, maxDelayMs: 100 },
          });
          const neighbour = memorySink('neighbour');
          const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: () => {}, stopTimeout: 60_000 });
          logInterleaved(listener, 1, count);
          await waitFor(
            () => sink.stats.pendingRecords + sink.stats.spooledRecords + sink.stats.dropped >= count,
            'every record held, spooled or dropped',
            60_000,
          );
          assert.ok(sink.stats.dropped > 0, 'the spool filled up');
          receiver = await createReceiver({ port });
          await waitFor(() => sink.stats.written + sink.stats.dropped >= count, 'every record delivered or dropped', 60_000);
          await listener.stop();
          const { keys, duplicates } = keysOf(receiver.lines());
          assert.deepEqual([keys.size, duplicates], [count - sink.stats.dropped, 0], 'what was not dropped arrived, once');
          assert.equal(reportedDrops(neighbour.lines(), sink.name), sink.stats.dropped, 'every dropped record reported');
          const indexes = indexesOf(receiver.lines());
          if (overflow === 'newest') assert.equal(Math.max(...indexes), keys.size, 'the first records kept, the newest dropped');
          else assert.ok(indexes.includes(count) && !indexes.includes(200), 'the newest kept, the oldest spooled dropped');
          assert.equal(checkOutput(receiver.lines()).producers.get('p1')?.outOfOrder, 0);
        } finally {
          await receiver?.close();
          cleanup();
        }
      });
    }

    t.test('a torn last line in the spool (an append cut short) is skipped at the next start, counted dropped and reported', async () => {
      const { dir, cleanup } = spoolFolder();
      const port = await closedPort();
      let receiver: Receiver | undefined;
      try {
        const first = otlpSink({ endpoint: `http://127.0.0.1:${port}/v1/logs`, env: noEnvironment, drainTimeoutMs: 100, spool: { dir, name: 'torn' } });
        const neighbour = memorySink('neighbour');
        const listener = new QueueListener({ sinks: [first, neighbour], drainOnExit: false, onReport: () => {} });
        logInterleaved(listener, 1, 10);
        await waitFor(() => first.stats.pendingRecords === 10, 'the sink to hold the 10 records');
        await first.close(); // while the listener runs, so that its notice reaches the neighbour
        await listener.stop();
        assert.deepEqual([first.stats.dropped, first.stats.spooledRecords], [0, 10], 'nothing dropped at close: spooled');
        assert.ok(
          neighbour.lines().some((line) => line.includes('"msg":"tributary.spooled"') && line.includes('"records":10')),
          'the records left in the spool were reported',
        );
        const newest = spoolFiles(dir).sort().at(-1) ?? 'missing';
        appendFileSync(join(dir, newest), '{"time":"2026-12-04T21:00:00.000Z","level":"info","msg":"fault r');

        receiver = await createReceiver({ port });
        const second = otlpSink({ endpoint: receiver.url, env: noEnvironment, spool: { dir, name: 'torn' } });
        const context = openWithContext(second);
        await waitFor(() => receiver !== undefined && receiver.accepted >= 10, 'the 10 whole records at the receiver');
        await second.close();
        assert.deepEqual(indexesOf(receiver.lines()), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.equal(context.droppedRecords, 1, 'the torn line counted dropped');
        assert.match(context.drops[0]?.reason ?? '', /torn last line/);
        assert.equal(context.notices.find((notice) => notice.event === 'tributary.spool_restored')?.fields.records, 10);
      } finally {
        await receiver?.close();
        cleanup();
      }
    });

    t.test('two sinks on one spool: the second is refused at configuration time, naming the pid that holds it', async () => {
      const { dir, cleanup } = spoolFolder();
      try {
        const endpoint = `http://127.0.0.1:${await closedPort()}/v1/logs`;
        const first = otlpSink({ endpoint, env: noEnvironment, spool: { dir } });
        assert.throws(
          () => otlpSink({ endpoint, env: noEnvironment, spool: { dir } }),
          new RegExp(`^Error: otlpSink: the spool .+ is in use by another sink of this process \\(pid ${process.pid}\\)`),
        );
        assert.throws(() => otlpSink({ endpoint, env: noEnvironment, spool: { dir: '' } }), /otlpSink: spool\.dir must be a non-empty string/);
        appendFileSync(join(dir, 'a-file'), 'not a folder');
        assert.throws(
          () => otlpSink({ endpoint, env: noEnvironment, spool: { dir: join(dir, 'a-file', 'below') } }),
          /otlpSink: cannot create the spool folder/,
        );
        assert.throws(
          () => otlpSink({ endpoint, env: noEnvironment, spool: { dir, overflow: 'middle' as 'oldest' } }),
          /otlpSink: spool\.overflow must be one of/,
        );
        await first.close();
        const again = otlpSink({ endpoint, env: noEnvironment, spool: { dir } });
        await again.close();
      } finally {
        cleanup();
      }
    });

    t.test('a spool held by another running process is refused, naming its pid; once that process is gone, its lock is taken over', async () => {
      const { dir, cleanup } = spoolFolder();
      const endpoint = `http://127.0.0.1:${await closedPort()}/v1/logs`;
      const [command, prefix] = scriptCommand(HOLD_FIXTURE);
      const child = spawn(command, [...prefix, endpoint, dir], { stdio: ['pipe', 'pipe', 'inherit'] });
      try {
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (text: string) => {
          stdout += text;
        });
        const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
        await waitFor(() => stdout.includes('fixture.ready'), 'the other process to hold the spool');
        const holder = (JSON.parse(stdout.split('\n')[0] ?? '{}') as { pid: number }).pid;
        assert.throws(
          () => otlpSink({ endpoint, env: noEnvironment, spool: { dir, name: 'held' } }),
          new RegExp(`otlpSink: the spool .+\\.lock is in use by process ${holder} \\(which is running\\)`),
        );
        child.stdin.end();
        assert.equal(await exited, 0);
        const taken = otlpSink({ endpoint, env: noEnvironment, spool: { dir, name: 'held' } });
        await taken.close();
      } finally {
        child.kill('SIGKILL');
        cleanup();
      }
    });
  });
}
