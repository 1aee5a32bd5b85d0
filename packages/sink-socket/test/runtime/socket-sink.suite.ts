import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { batchOf, entryFromLine } from '@tributary/core/sink';
import { checkOutput, makeEntries, memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { socketSink, TRUNCATION_MARK } from '@tributary/sink-socket';
import { createReceiver, FrameSplitter, parseSyslogMessage } from '@tributary/sink-socket/receiver';
import { failureMessages, openWithContext, receivedPayloads, tempDir } from './helpers.ts';

const fastRetry = { initialDelay: 20, maxDelay: 200 };

/** The socket sink's own behaviour, through the embedded receiver, on Node, Deno and Bun. */
export default function suite(t: TestApi): void {
  t.describe('socket sink', () => {
    t.test('TCP + NDJSON: records through a QueueListener arrive once each, in order', async () => {
      const receiver = await createReceiver({ keep: true });
      const sink = socketSink({ port: receiver.port, encoding: 'ndjson' });
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const loggers = ['a', 'b', 'c'].map((producer) => listener.logger({ producer, level: 'trace' }));
      for (let index = 0; index < 3_000; index++) loggers[index % 3]?.info(`n ${index}`, { index, text: 'ünï\ncødé 🎉' });
      const summary = await listener.stop();
      assert.equal(summary.timedOut, false);
      const check = checkOutput(await receivedPayloads(sink, receiver));
      await receiver.close();
      assert.equal(check.records, 3_000);
      for (const producer of ['a', 'b', 'c']) assert.equal(check.producers.get(producer)?.count, 1_000);
      assert.equal(check.torn + check.missing + check.duplicated + check.outOfOrder, 0);
    });

    t.test('RFC 5424: PRI from level and facility, RFC 3339 time, hostname, app-name, procid, msgid, JSON in MSG', async () => {
      const receiver = await createReceiver({ keep: true });
      const sink = socketSink({ port: receiver.port, syslog: { facility: 'local0', hostname: 'host-1', appName: 'shop' } });
      const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
      const expectedSeverity = [7, 7, 6, 4, 3, 2];
      const entries = makeEntries(levels.length).map((entry, index) => {
        const record = JSON.parse(entry.line) as Record<string, unknown>;
        const level = levels[index] as (typeof levels)[number];
        return entryFromLine(JSON.stringify({ ...record, level, logger: 'app.http', pid: 4242 }), level);
      });
      await sink.write(batchOf(entries));
      await sink.close();
      const payloads = await receivedPayloads(sink, receiver);
      await receiver.close();
      assert.equal(payloads.length, levels.length);
      receiver.records().forEach((received, index) => {
        const message = received.syslog;
        assert.ok(message !== undefined, `RFC 5424: ${received.raw}`);
        assert.equal(message.priority, 16 * 8 + (expectedSeverity[index] as number));
        assert.equal(message.version, 1);
        assert.match(message.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        assert.equal(message.hostname, 'host-1');
        assert.equal(message.appName, 'shop');
        assert.equal(message.procId, '4242');
        assert.equal(message.msgId, 'app.http');
        assert.equal(message.structuredData, '-');
        assert.equal(message.msg, entries[index]?.line);
        assert.equal(message.timestamp, (JSON.parse(message.msg) as { time: string }).time);
      });
    });

    t.test('a line break inside a record never splits it (NDJSON and newline-framed syslog)', async () => {
      const receiver = await createReceiver({ keep: true });
      const raw = entryFromLine('not json\nsecond line\r\nthird', 'info');
      for (const options of [{ encoding: 'ndjson' as const }, { framing: 'newline' as const }, { framing: 'octet-counting' as const }]) {
        const sink = socketSink({ port: receiver.port, ...options });
        await sink.write(batchOf([raw, ...makeEntries(3)]));
        await sink.close();
      }
      await waitFor(() => receiver.received >= 12, 'twelve records');
      await receiver.close();
      const payloads = receiver.records().map((record) => record.payload);
      assert.equal(payloads.length, 12);
      assert.equal(payloads[0], 'not json\\nsecond line\\r\\nthird');
      assert.equal(payloads[4], 'not json\\nsecond line\\r\\nthird');
      assert.equal(payloads[8], 'not json\nsecond line\r\nthird', 'octet counting carries it as it is');
    });

    t.test('records over maxRecordBytes are cut with a visible marker and stay JSON records', async () => {
      const receiver = await createReceiver({ keep: true });
      const sink = socketSink({ port: receiver.port, encoding: 'ndjson', maxRecordBytes: 1_024 });
      const [entry] = makeEntries(1, 'big');
      const record = JSON.parse((entry as { line: string }).line) as Record<string, unknown>;
      const big = entryFromLine(JSON.stringify({ ...record, msg: `${'é'.repeat(3_000)}😀`, payload: 'p'.repeat(5_000) }), 'info');
      await sink.write(batchOf([big, ...makeEntries(2, 'small')]));
      await sink.close();
      const payloads = await receivedPayloads(sink, receiver);
      await receiver.close();
      assert.equal(payloads.length, 3);
      const cut = payloads[0] as string;
      assert.ok(new TextEncoder().encode(cut).length <= 1_024, 'within the limit');
      const parsed = JSON.parse(cut) as { msg: string; producer: string; seq: number; truncated: { bytes: number; fields: string } };
      assert.ok(parsed.msg.startsWith('ééé') && parsed.msg.endsWith(TRUNCATION_MARK));
      assert.ok(parsed.truncated.fields.startsWith('{"n":1,"text":"plain","payload":"ppp') && parsed.truncated.fields.endsWith(TRUNCATION_MARK));
      assert.equal(parsed.truncated.bytes, new TextEncoder().encode(big.line).length);
      assert.equal(parsed.producer, 'big');
      assert.equal(parsed.seq, 1);
      assert.equal(sink.stats.truncated, 1);
      assert.equal(checkOutput(payloads.slice(1)).producers.get('small')?.count, 2);
    });

    t.test('UDP: one record per datagram, cut to maxDatagramBytes (default 2,048)', async () => {
      const receiver = await createReceiver({ transport: 'udp', keep: true });
      const sink = socketSink({ transport: 'udp', port: receiver.port });
      const [entry] = makeEntries(1, 'u');
      const record = JSON.parse((entry as { line: string }).line) as Record<string, unknown>;
      const big = entryFromLine(JSON.stringify({ ...record, msg: 'x'.repeat(5_000) }), 'info');
      const small = makeEntries(20, 'u', 2);
      for (const item of [big, ...small]) await sink.write(batchOf([item]));
      await sink.close();
      await waitFor(() => receiver.received >= 21, 'twenty-one datagrams');
      await receiver.close();
      const records = receiver.records();
      assert.equal(records.length, 21);
      assert.ok(new TextEncoder().encode(records[0]?.raw).length <= 2_048);
      assert.ok((JSON.parse(records[0]?.payload ?? '') as { msg: string }).msg.endsWith(TRUNCATION_MARK));
      const check = checkOutput(records.map((r) => r.payload));
      assert.equal(check.producers.get('u')?.count, 21);
      assert.equal(check.missing + check.duplicated + check.torn, 0);
      assert.ok(records.every((r) => parseSyslogMessage(r.raw) !== undefined));
    });

    t.test('UDP: datagrams that fail to send are dropped, counted and reported once each, the failure once', async () => {
      // a broadcast address without SO_BROADCAST: every send fails locally (EACCES) on Node, Deno and Bun
      const sink = socketSink({ transport: 'udp', host: '255.255.255.255', port: 9, encoding: 'ndjson' });
      const context = openWithContext(sink);
      for (let round = 0; round < 3; round++) await sink.write(batchOf(makeEntries(4, 'u', round * 4 + 1)));
      await sink.close();
      assert.equal(context.droppedRecords, 12, 'every failed datagram reported as dropped, exactly once');
      assert.match(context.drops[0]?.reason ?? '', /datagrams failed to send/);
      assert.equal(context.failures.length, 1, 'one failure for the run of failed sends');
      assert.match(failureMessages(context)[0] ?? '', /datagram not sent/);
      assert.equal(sink.stats.dropped, 12);
      assert.equal(sink.stats.written, 0);
    });

    t.test('collector restarted: the sink reconnects, buffers meanwhile, and reports the outage through its context', async () => {
      const first = await createReceiver({ keep: true });
      const port = first.port;
      const sink = socketSink({ port, encoding: 'ndjson', reconnect: fastRetry });
      const context = openWithContext(sink);
      await sink.write(batchOf(makeEntries(100, 'r')));
      await receivedPayloads(sink, first);
      await first.close();
      await waitFor(() => !sink.stats.connected, 'the sink to see the lost connection');
      await sink.write(batchOf(makeEntries(100, 'r', 101)));
      assert.equal(sink.stats.pendingRecords, 100);
      const second = await createReceiver({ port, keep: true });
      await sink.flush();
      await sink.close();
      await waitFor(() => second.received >= 100, 'the buffered records');
      await second.close();
      const lines = [...first.records(), ...second.records()].map((r) => r.payload);
      const check = checkOutput(lines);
      assert.equal(check.records, 200, 'only the records reach the collector: the sink writes no records of its own');
      assert.equal(check.producers.get('r')?.count, 200);
      assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn, 0);
      const reconnected = context.notices.filter((notice) => notice.event === 'tributary.reconnected');
      assert.equal(reconnected.length, 1, 'one tributary.reconnected notice');
      assert.equal(reconnected[0]?.level, 'warn');
      assert.equal(typeof reconnected[0]?.fields['downMs'], 'number');
      assert.equal(typeof reconnected[0]?.fields['unconfirmed'], 'number');
      assert.equal(reconnected[0]?.fields['unconfirmedWindowBytes'], 1024 * 1024);
      assert.equal(sink.stats.reconnects, 1);
      assert.deepEqual(failureMessages(context).filter((m) => m.includes('connection lost')).length, 1, 'the outage is reported once, not per retry');
      assert.equal(context.failedRecords + context.droppedRecords, 0, 'nothing lost');
      assert.equal(sink.stats.written, 200);
    });

    t.test('through a QueueListener: the outage, the reconnection and the drops reach the other sinks and the summary', async () => {
      const first = await createReceiver({ keep: true });
      const port = first.port;
      const sink = socketSink({ port, encoding: 'ndjson', reconnect: fastRetry, bufferRecords: 30 });
      const neighbour = memorySink('neighbour');
      const listener = new QueueListener({ sinks: [sink, neighbour], drainOnExit: false, onReport: () => {} });
      const log = listener.logger({ producer: 'q', level: 'trace' });
      for (let index = 1; index <= 20; index++) log.info('before', { index });
      await listener.flush();
      await receivedPayloads(sink, first);
      await first.close();
      await waitFor(() => !sink.stats.connected, 'the sink to see the lost connection');
      for (let index = 21; index <= 100; index++) log.info('during', { index });
      await waitFor(() => sink.stats.dropped === 50, 'the 50 records beyond the 30-record buffer to be dropped');
      const second = await createReceiver({ port, keep: true });
      await waitFor(() => sink.stats.connected && sink.stats.pendingRecords === 0, 'the buffer to go out on the new connection');
      const summary = await listener.stop();
      await waitFor(() => second.received >= 30, 'the 30 buffered records');
      await second.close();
      const mine = summary.sinks[0];
      assert.equal(mine?.dropped, 50, 'the summary counts the dropped records for this sink');
      assert.equal(summary.dropped, 50);
      assert.equal(mine?.failed, 0);
      const check = checkOutput([...first.records(), ...second.records()].map((r) => r.payload));
      assert.equal(check.producers.get('q')?.count, 50);
      assert.equal(check.producers.get('q')?.maxSeq, 50, 'the oldest records are kept');
      const told = checkOutput(neighbour.lines()).notices;
      assert.equal(
        told.get('tributary.dropped')?.reduce((sum, notice) => sum + Number(notice['dropped']), 0),
        50,
        'the neighbour is told of every drop, once',
      );
      assert.equal(told.get('tributary.dropped')?.[0]?.['sink'], sink.name);
      assert.equal(told.get('tributary.reconnected')?.length, 1, 'the neighbour is told of the reconnection');
      assert.equal(told.get('tributary.reconnected')?.[0]?.['sink'], sink.name);
      assert.match(String(told.get('tributary.sink_error')?.[0]?.['error']), /connection lost/);
    });

    t.test('collector down at start, bounded buffer: extra records are dropped, counted and reported once', async () => {
      const probe = await createReceiver();
      const port = probe.port;
      await probe.close();
      const sink = socketSink({ port, encoding: 'ndjson', bufferRecords: 50, reconnect: fastRetry });
      const context = openWithContext(sink);
      await sink.write(batchOf(makeEntries(200, 'd')));
      await waitFor(() => context.failures.length > 0, 'the failed connection to be reported');
      assert.equal(sink.stats.pendingRecords, 50);
      assert.equal(sink.stats.dropped, 150);
      const receiver = await createReceiver({ port, keep: true });
      await sink.flush();
      const payloads = await receivedPayloads(sink, receiver);
      await sink.close();
      await receiver.close();
      const check = checkOutput(payloads);
      assert.equal(check.records, 50);
      assert.equal(check.producers.get('d')?.count, 50);
      assert.equal(check.producers.get('d')?.maxSeq, 50, 'the oldest records are kept');
      assert.equal(context.droppedRecords, 150, 'every dropped record reported, exactly once');
      assert.match(context.drops[0]?.reason ?? '', /reconnect buffer \(50 records/);
      assert.match(failureMessages(context)[0] ?? '', /cannot connect/);
      assert.equal(context.failedRecords, 0, 'a failed connection loses no record by itself');
      assert.equal(
        context.notices.filter((notice) => notice.event === 'tributary.reconnected').length,
        1,
        'a first connection that needed retries is reported too',
      );
    });

    t.test('a collector that drops the first connections right after accepting them: the sink keeps retrying, then delivers', async () => {
      let accepted = 0;
      const lines: string[] = [];
      let bytes = 0;
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        accepted += 1;
        if (accepted <= 3) {
          socket.destroy();
          return;
        }
        sockets.add(socket);
        const splitter = new FrameSplitter((message, frameBytes) => {
          lines.push(message);
          bytes += frameBytes;
        });
        socket.on('data', (data) => splitter.push(data));
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const sink = socketSink({ port, encoding: 'ndjson', reconnect: fastRetry });
      const context = openWithContext(sink);
      await waitFor(() => accepted >= 4 && sink.stats.connected, 'a fourth, lasting connection');
      const entries = makeEntries(50, 'f');
      await sink.write(batchOf(entries));
      await sink.flush();
      await waitFor(() => bytes >= sink.stats.writtenBytes && lines.filter((line) => line.includes('"producer":"f"')).length >= 50, 'the records');
      await sink.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const check = checkOutput(lines);
      const mine = check.producers.get('f');
      assert.equal(mine?.count, 50);
      assert.equal((mine?.missing ?? 1) + (mine?.duplicated ?? 1) + (mine?.outOfOrder ?? 1) + check.torn, 0);
      assert.equal(check.records, 50, 'only the records reach the collector');
      assert.ok(context.notices.filter((notice) => notice.event === 'tributary.reconnected').length >= 1, 'the reconnections are reported');
      assert.ok(context.failures.length >= 1);
      assert.equal(context.droppedRecords, 0);
    });

    t.test('flush() and close() are bounded when the collector never comes; close reports the undelivered records once, before it resolves', async () => {
      const probe = await createReceiver();
      const port = probe.port;
      await probe.close();
      const sink = socketSink({ port, drainTimeout: 300, reconnect: fastRetry });
      const context = openWithContext(sink);
      await sink.write(batchOf(makeEntries(5)));
      await assert.rejects(sink.flush(), /5 records still waiting after 300 ms/);
      assert.equal(context.droppedRecords, 0, 'nothing is given up before close');
      await sink.close();
      assert.deepEqual(
        context.drops.map((drop) => drop.records),
        [5],
      );
      assert.match(context.drops[0]?.reason ?? '', /undelivered at close/);
      await sink.close();
      assert.equal(context.drops.length, 1, 'a second close reports nothing again');
      assert.throws(() => sink.write(batchOf(makeEntries(1))), /closed/);
      assert.deepEqual(
        { ...sink.stats, connected: false },
        {
          written: 0,
          dropped: 5,
          failed: 0,
          pendingRecords: 0,
          pendingBytes: 0,
          writtenBytes: 0,
          connected: false,
          truncated: 0,
          reconnects: 0,
          spooled: 0,
          spooledRecords: 0,
        },
      );
    });

    t.test('Unix socket + NDJSON', async () => {
      const dir = tempDir();
      const path = join(dir.path, 'c.sock');
      const receiver = await createReceiver({ transport: 'unix', path, keep: true });
      const sink = socketSink({ transport: 'unix', path, encoding: 'ndjson' });
      const entries = makeEntries(500, 'x');
      await sink.write(batchOf(entries));
      await sink.close();
      const payloads = await receivedPayloads(sink, receiver);
      await receiver.close();
      dir.remove();
      assert.deepEqual(
        payloads,
        entries.map((entry) => entry.line),
      );
    });

    t.test("bad configuration throws clearly at creation, in the validators' one format", () => {
      const fails = (options: unknown, kind: typeof TypeError | typeof RangeError, message: RegExp): void => {
        assert.throws(
          () => socketSink(options as never),
          (error: unknown) => error instanceof kind && message.test((error as Error).message),
        );
      };
      fails({}, TypeError, /^socketSink: port must be given for transport 'tcp'; got undefined$/);
      fails({ transport: 'unix' }, TypeError, /^socketSink: path must be given for transport 'unix'; got undefined$/);
      fails({ port: 1, transport: 'smtp' }, RangeError, /^socketSink: transport must be one of "tcp", "tls", "udp", "unix"; got "smtp"$/);
      fails({ port: 70_000 }, RangeError, /^socketSink: port must be an integer from 1 to 65535; got 70000$/);
      fails({ port: '514' }, TypeError, /^socketSink: port must be an integer from 1 to 65535; got "514"$/);
      fails({ port: 1, encoding: 'ndjson', framing: 'octet-counting' }, TypeError, /^socketSink: framing must be 'newline'.*; got "octet-counting"$/);
      fails({ port: 1, syslog: { facility: 'nope' } }, RangeError, /^socketSink: syslog\.facility must be one of "kern", .*; got "nope"$/);
      fails({ port: 1, syslog: { facility: 24 } }, RangeError, /^socketSink: syslog\.facility must be an integer from 0 to 23; got 24$/);
      fails(
        { port: 1, syslog: { appName: 'has space' } },
        RangeError,
        /^socketSink: syslog\.appName must be 1 to 48 printable US-ASCII characters without spaces; got "has space"$/,
      );
      fails({ port: 1, maxRecordBytes: 10 }, RangeError, /^socketSink: maxRecordBytes must be an integer ≥ 256; got 10$/);
      fails({ port: 1, reconnect: { initialDelay: 10, maxDelay: 5 } }, RangeError, /^socketSink: reconnect\.maxDelay must be an integer ≥ 10; got 5$/);
      fails({ port: 1, reconnect: { factor: 0.5 } }, RangeError, /^socketSink: reconnect\.factor must be a number from 1 to/);
      fails({ port: 1, tls: {} }, TypeError, /^socketSink: tls must be left out unless transport is 'tls'/);
      fails({ port: 1, name: '' }, RangeError, /^socketSink: name must be a non-empty string; got ""$/);
      fails(null, TypeError, /^socketSink: options must be an object; got null$/);
    });
  });
}
