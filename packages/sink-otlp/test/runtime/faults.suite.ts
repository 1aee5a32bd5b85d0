import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { QueueListener } from '@tributary/core';
import { runtime } from '@tributary/core/sink';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { Receiver, ReceiverAnswer } from '@tributary/sink-otlp/receiver';
import { closedPort, keysOf, noEnvironment, reportedDrops, runFixture } from './helpers.ts';

const PRODUCERS = 4;
const PER_PRODUCER = 25_000;
const TOTAL = PRODUCERS * PER_PRODUCER;
const OUTAGE_MS = 2_000;
const REJECTED = 37;
/** A buffer that holds the whole run (about 350 bytes per encoded record), so that only the collector's answers drop records. */
const ROOM_FOR_ALL = { bufferRecords: TOTAL, bufferBytes: 256 * 1024 * 1024 } as const;
const FIXTURE = fileURLToPath(new URL('../fixtures/exit-with-collector-down.mjs', import.meta.url));
const LEAVE_FIXTURE = fileURLToPath(new URL('../fixtures/log-and-leave.mjs', import.meta.url));

/** Logs 25,000 records on each of 4 main-thread producers, interleaved, through `listener`. */
function logFromFourProducers(listener: QueueListener): void {
  const loggers = Array.from({ length: PRODUCERS }, (_, index) => listener.logger({ producer: `p${index + 1}`, name: 'faults' }));
  for (let index = 1; index <= PER_PRODUCER; index++) {
    for (const logger of loggers) logger.info('fault run', { index, padding: 'x'.repeat(40) });
  }
}

/** Delivery under faults, at volume: every record once or counted exactly. */
export default function suite(t: TestApi): void {
  t.describe('otlp sink under faults', () => {
    t.test(
      `4 producers × 25,000 records: 503 for ${OUTAGE_MS} ms, then 429 with Retry-After, a partial success, a 400 and a 413 — every record once or counted dropped, exactly`,
      async () => {
        let outageStart: number | undefined;
        let phase = 0;
        const script: ReceiverAnswer[] = [
          { status: 429, retryAfter: '1' },
          { rejectedLogRecords: REJECTED, errorMessage: 'too old' },
          { status: 400, errorMessage: 'malformed' },
          { status: 413, errorMessage: 'too large' },
        ];
        const receiver = await createReceiver({
          respond: () => {
            outageStart ??= Date.now();
            if (Date.now() - outageStart < OUTAGE_MS) return { status: 503 };
            return script[phase++] ?? {};
          },
        });
        try {
          const sink = otlpSink({ endpoint: receiver.url, env: noEnvironment, ...ROOM_FOR_ALL, retry: { initialDelayMs: 100, maxDelayMs: 500 } });
          const neighbour = memorySink('neighbour');
          const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: () => {}, stopTimeout: 120_000 });
          logFromFourProducers(listener);
          await waitFor(() => sink.stats.written + sink.stats.dropped >= TOTAL, 'every record delivered or dropped', 120_000);
          const summary = await listener.stop();

          const refused = receiver.requests.filter((request) => request.status === 400 || request.status === 413);
          assert.deepEqual(
            refused.map((request) => request.status),
            [400, 413],
            'the 400 and the 413 each came once: not retried',
          );
          const expectedDrops = REJECTED + refused.reduce((sum, request) => sum + request.records, 0);
          assert.ok(receiver.requests.filter((request) => request.status === 503).length >= 2, 'retried through the outage');
          assert.equal(receiver.requests.filter((request) => request.status === 429).length, 1);
          assert.equal(receiver.rejected, REJECTED);

          const { keys, duplicates } = keysOf(receiver.lines());
          assert.equal(duplicates, 0, 'no record twice');
          assert.equal(keys.size, TOTAL - expectedDrops, 'every record not dropped arrived');
          assert.equal(receiver.accepted, TOTAL - expectedDrops);
          const check = checkOutput(receiver.lines());
          for (let producer = 1; producer <= PRODUCERS; producer++) assert.equal(check.producers.get(`p${producer}`)?.outOfOrder, 0, 'each producer in order');

          assert.deepEqual([sink.stats.written, sink.stats.dropped, sink.stats.failed], [TOTAL - expectedDrops, expectedDrops, 0]);
          const sinkSummary = summary.sinks.find((stats) => stats.name === sink.name);
          assert.deepEqual(
            [sinkSummary?.written, sinkSummary?.dropped, sinkSummary?.failed],
            [TOTAL, expectedDrops, 0],
            'the listener handed every record over and counts the drops',
          );
          assert.equal(reportedDrops(neighbour.lines(), sink.name), expectedDrops, 'the neighbour was told of every dropped record');
          assert.equal(checkOutput(neighbour.lines()).producers.get('p1')?.count, PER_PRODUCER);
        } finally {
          await receiver.close();
        }
      },
      180_000,
    );

    t.test(
      `4 producers × 25,000 records, 503 for ${OUTAGE_MS} ms, the default buffer: what it cannot hold during the outage is dropped, and counted exactly`,
      async () => {
        let outageStart: number | undefined;
        const receiver = await createReceiver({
          respond: () => {
            outageStart ??= Date.now();
            return Date.now() - outageStart < OUTAGE_MS ? { status: 503 } : {};
          },
        });
        try {
          const sink = otlpSink({ endpoint: receiver.url, env: noEnvironment, retry: { initialDelayMs: 100, maxDelayMs: 500 } });
          const neighbour = memorySink('neighbour');
          const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: () => {}, stopTimeout: 120_000 });
          logFromFourProducers(listener);
          await waitFor(() => sink.stats.written + sink.stats.dropped >= TOTAL, 'every record delivered or dropped', 120_000);
          await listener.stop();
          const { keys, duplicates } = keysOf(receiver.lines());
          assert.equal(duplicates, 0);
          assert.ok(sink.stats.dropped > 0, 'the outage filled the buffer');
          assert.equal(keys.size, sink.stats.written, 'what the sink counts as written arrived');
          assert.equal(sink.stats.written + sink.stats.dropped, TOTAL, 'the rest is counted dropped');
          assert.equal(reportedDrops(neighbour.lines(), sink.name), sink.stats.dropped, 'and reported, exactly');
        } finally {
          await receiver.close();
        }
      },
      180_000,
    );

    t.test(
      '4 producers × 25,000 records: the receiver killed and restarted mid-run — nothing lost, nothing dropped',
      async () => {
        const first = await createReceiver();
        const port = first.port;
        let second: Receiver | undefined;
        try {
          const sink = otlpSink({ endpoint: first.url, env: noEnvironment, ...ROOM_FOR_ALL, retry: { initialDelayMs: 50, maxDelayMs: 200 } });
          const neighbour = memorySink('neighbour');
          const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: () => {}, stopTimeout: 120_000 });
          logFromFourProducers(listener);
          await waitFor(() => first.accepted >= TOTAL / 5, 'a fifth of the records at the first receiver', 60_000);
          await first.close();
          await waitFor(() => !sink.stats.available, 'the sink to notice the receiver is gone', 30_000);
          second = await createReceiver({ port });
          await waitFor(() => sink.stats.written + sink.stats.dropped >= TOTAL, 'every record at the restarted receiver', 120_000);
          const summary = await listener.stop();

          const { keys, duplicates } = keysOf([...first.lines(), ...second.lines()]);
          assert.equal(keys.size, TOTAL, 'every record arrived');
          // a request whose answer the kill cut off is sent again (at-least-once at the edge): at most one request's worth
          assert.ok(duplicates <= 512, `${duplicates} records twice`);
          assert.ok(first.accepted < TOTAL && second.accepted > 0, 'both receivers got part of the run');
          assert.deepEqual([sink.stats.dropped, sink.stats.failed, summary.sinks[0]?.dropped], [0, 0, 0]);
          assert.ok(sink.stats.retries > 0);
          assert.ok(
            neighbour.lines().some((line) => line.includes('"msg":"tributary.reconnected"')),
            'the outage end was reported to the neighbour',
          );
        } finally {
          await first.close();
          await second?.close();
        }
      },
      180_000,
    );

    for (const mode of ['unreachable', 'not answering'] as const) {
      t.test(`process.exit() with the collector ${mode}: the exact count of what the sink could not send reaches the other sinks`, async () => {
        const hanging = mode === 'not answering' ? await createReceiver({ respond: () => ({ delayMs: 600_000 }) }) : undefined;
        try {
          const endpoint = hanging?.url ?? `http://127.0.0.1:${await closedPort()}/v1/logs`;
          const { code, lines } = await runFixture(FIXTURE, [endpoint, '300', '200']);
          assert.equal(code, 3);
          const records = lines.filter((line) => line.includes('"producer":"exiting"'));
          assert.equal(records.length, 500, 'the neighbour got every record');
          const state = JSON.parse(lines.find((line) => line.includes('fixture.state')) ?? '{}') as { held: number; service: string };
          assert.equal(reportedDrops(lines, state.service), 500, 'tributary.dropped records count all 500 records the sink could not send');
          if (hanging !== undefined) {
            assert.ok(
              lines.some((line) => line.includes('request was unanswered')),
              'the records of the unanswered request are reported apart',
            );
          }
        } finally {
          await hanging?.close();
        }
      });
    }

    t.test('the script simply ends (no stop, no exit) with the collector up: every record arrives, and the process exits by itself', async () => {
      const receiver = await createReceiver();
      try {
        const { code } = await runFixture(LEAVE_FIXTURE, [receiver.url, '1000']);
        assert.equal(code, 0);
        const { keys, duplicates } = keysOf(receiver.lines(), 'leaving');
        assert.deepEqual([keys.size, duplicates], [1_000, 0]);
      } finally {
        await receiver.close();
      }
    });

    t.test('the script simply ends with the collector unreachable: the process exits by itself, every record reported dropped', async () => {
      const { code, lines } = await runFixture(LEAVE_FIXTURE, [`http://127.0.0.1:${await closedPort()}/v1/logs`, '1000']);
      assert.equal(code, 0);
      const state = JSON.parse(lines.find((line) => line.includes('fixture.state')) ?? '{}') as { service: string };
      assert.equal(lines.filter((line) => line.includes('"producer":"leaving"')).length, 1_000);
      assert.equal(reportedDrops(lines, state.service), 1_000);
    });

    if (runtime === 'deno') {
      t.test('Deno without --allow-env: the sink reads no OTEL_* variable and works', async () => {
        const { code, lines } = await runFixture(
          FIXTURE,
          [`http://127.0.0.1:${await closedPort()}/v1/logs`, '10', '5'],
          ['--allow-net=127.0.0.1', '--allow-read'],
        );
        assert.equal(code, 3);
        const state = JSON.parse(lines.find((line) => line.includes('fixture.state')) ?? '{}') as { service: string };
        assert.equal(reportedDrops(lines, state.service), 15);
      });
    }
  });
}
