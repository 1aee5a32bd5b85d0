/**
 * Against a real rsyslog (a private instance on 127.0.0.1 and a free port). Skipped, with one line
 * saying so, only when rsyslogd is not installed and CI is not `true`; under CI a missing rsyslogd fails.
 */
import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { batchOf } from '@tributary/core/sink';
import { checkOutput, makeEntries, waitFor } from '@tributary/core/testing';
import { socketSink, TRUNCATION_MARK } from '@tributary/sink-socket';
import { parseSyslogMessage } from '@tributary/sink-socket/receiver';
import { afterEach, describe, test } from 'vitest';
import { systemDaemon } from '../../../tooling/runtime-tests/system-daemon.ts';
import { failureMessages, openWithContext } from './runtime/helpers.ts';
import { freePort, PrivateRsyslog } from './support/rsyslog.ts';
import type { RsyslogOptions } from './support/rsyslog.ts';

const rsyslogd = systemDaemon({ binary: 'rsyslogd', install: 'apt-get install -y rsyslog' });

const instances: PrivateRsyslog[] = [];
afterEach(async () => {
  for (const instance of instances.splice(0)) await instance.dispose();
});

async function startRsyslog(options: RsyslogOptions = {}): Promise<PrivateRsyslog> {
  const instance = await PrivateRsyslog.start(rsyslogd.path as string, options);
  instances.push(instance);
  return instance;
}

/** The record JSON inside each RFC 5424 line rsyslog stored. */
function payloads(lines: readonly string[]): string[] {
  return lines.map((line) => {
    const message = parseSyslogMessage(line);
    assert.ok(message !== undefined, `not an RFC 5424 message: ${line.slice(0, 200)}`);
    return message.msg;
  });
}

function textFor(seq: number): string {
  if (seq % 100 === 0) return `big ${seq} ${'é€😀x'.repeat((10 * 1024) / 4)}`;
  if (seq % 10 === 0) return `line one ${seq}\nline two\r\nline three`;
  if (seq % 7 === 0) return `ünïcødé 日本語 🎉 ${seq} \u007f \u2028 tab\there`;
  return `plain ${seq}`;
}

describe.skipIf(rsyslogd.skip)('against a real rsyslog', () => {
  test('10,000 records with newlines, non-ASCII text and 10 KiB records arrive one per record, intact', async () => {
    const rsyslog = await startRsyslog();
    const sink = socketSink({ port: rsyslog.port, maxRecordBytes: 64 * 1024, syslog: { appName: 'bulk', facility: 'local3' } });
    const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
    const logger = listener.logger({ producer: 'bulk', level: 'trace', name: 'app.db' });
    const count = 10_000;
    for (let seq = 1; seq <= count; seq++) {
      if (seq % 3 === 0) logger.error(textFor(seq), { seq2: seq });
      else logger.info(textFor(seq), { seq2: seq });
    }
    const summary = await listener.stop();
    assert.equal(summary.timedOut, false);
    await waitFor(() => rsyslog.lines().length >= count, 'rsyslog to store 10,000 lines', 90_000);
    await rsyslog.stop();
    const lines = rsyslog.lines();
    assert.equal(lines.length, count, 'one line per record, no record split');
    const check = checkOutput(payloads(lines));
    assert.equal(check.torn, 0);
    assert.equal(check.producers.get('bulk')?.count, count);
    assert.equal(check.missing + check.duplicated + check.outOfOrder, 0);
    for (const line of lines) {
      const message = parseSyslogMessage(line);
      assert.ok(message !== undefined);
      const record = JSON.parse(message.msg) as { seq: number; msg: string; level: string; seq2: number; logger: string };
      assert.equal(record.msg, textFor(record.seq), `record ${record.seq} arrived intact`);
      assert.equal(record.seq2, record.seq);
      assert.equal(message.appName, 'bulk');
      assert.equal(message.msgId, 'app.db');
      assert.equal(message.facility, 19);
      assert.equal(message.severity, record.level === 'error' ? 3 : 6);
      assert.equal(message.timestamp, (JSON.parse(message.msg) as { time: string }).time);
    }
  }, 120_000);

  /**
   * rsyslog killed in the middle of writing its own file leaves that line cut, and the restarted
   * instance appends right after it: split such a line where the next message begins, and count it.
   * The cut record is rsyslog's loss, inside the window the sink reports.
   */
  function splitCutLines(lines: readonly string[]): { lines: string[]; cut: number } {
    let cut = 0;
    const out: string[] = [];
    for (const line of lines) {
      const next = /.(<\d{1,3}>1 \d{4}-\d\d-\d\dT)/.exec(line);
      if (next === null) {
        out.push(line);
      } else {
        cut += 1;
        out.push(line.slice(next.index + 1));
      }
    }
    return { lines: out, cut };
  }

  test('rsyslog killed and restarted mid-stream: the sink reconnects, the loss stays inside the reported window', async () => {
    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      const rsyslog = await startRsyslog();
      const sink = socketSink({ port: rsyslog.port, reconnect: { initialDelay: 50, maxDelay: 400 } });
      const context = openWithContext(sink);
      const entries = makeEntries(16_000, signal);
      const write = async (from: number, to: number): Promise<void> => {
        for (let index = from; index < to; index += 50) await sink.write(batchOf(entries.slice(index, Math.min(to, index + 50))));
      };
      await waitFor(() => sink.stats.connected, 'the first connection');
      // over 2 MiB before the kill: more than the 1 MiB unconfirmed window
      await write(0, 10_000);
      // let rsyslog catch up to within 1,000 records (a loaded machine can starve it), so that what is in
      // flight at the kill is bounded by what this test writes, not by the scheduler
      await waitFor(() => rsyslog.lines().length >= 9_000, 'rsyslog to store 9,000 lines', 60_000);
      // kill it while records are in flight, and keep writing
      const writing = write(10_000, 12_000);
      const stopping = rsyslog.stop(signal);
      await writing;
      await stopping;
      await waitFor(() => !sink.stats.connected, 'the sink to notice the lost connection');
      await rsyslog.restart();
      await write(12_000, 16_000);
      await sink.close();
      await waitFor(() => rsyslog.lines().some((line) => line.includes(`"producer":"${signal}","seq":16000,`)), 'the last record to reach rsyslog', 60_000);
      await rsyslog.stop();
      const { lines: stored, cut } = splitCutLines(rsyslog.lines());
      assert.ok(cut <= 1, `at most the killed rsyslog's own last write is cut (${cut})`);
      const check = checkOutput(payloads(stored));
      const mine = check.producers.get(signal);
      assert.ok(mine !== undefined);
      const reconnected = context.notices.filter((notice) => notice.event === 'tributary.reconnected');
      assert.equal(reconnected.length, 1, `one reconnection reported (${signal})`);
      const unconfirmed = Number(reconnected[0]?.fields['unconfirmed']);
      console.log(
        `sink-socket rsyslog ${signal}: ${mine.missing} of 16,000 lost unseen, ${unconfirmed} reported unconfirmed, ${mine.duplicated} duplicated, stats ${JSON.stringify(sink.stats)}`,
      );
      assert.equal(check.torn, 0);
      assert.equal(sink.stats.dropped, 0, 'the buffer was large enough: nothing dropped');
      assert.ok(mine.missing <= unconfirmed, `${mine.missing} lost must be within the ${unconfirmed} reported unconfirmed`);
      assert.equal(mine.maxSeq, 16_000);
      assert.ok(unconfirmed < 10_000, 'the window is narrower than what the lost connection carried');
      assert.equal(mine.outOfOrder, 0);
      const errors = failureMessages(context);
      assert.ok(
        errors.some((message) => message.includes('connection lost')),
        `the outage was reported: ${errors.join(' / ')}`,
      );
      // what the sink wrote after it saw the failure (the buffer) all arrived: every gap lies before record 12,001
      const seen = new Set(
        payloads(stored)
          .map((line) => JSON.parse(line) as { producer?: string; seq?: number })
          .filter((r) => r.producer === signal)
          .map((r) => r.seq),
      );
      for (let seq = 12_001; seq <= 16_000; seq++) assert.ok(seen.has(seq), `record ${seq} (written after the failure was seen) arrived`);
    }
  }, 120_000);

  test('collector down at start: records are buffered, then delivered once it is up', async () => {
    const port = await freePort();
    const sink = socketSink({ port, reconnect: { initialDelay: 50, maxDelay: 200 } });
    const context = openWithContext(sink);
    const entries = makeEntries(500, 'early');
    await sink.write(batchOf(entries));
    await waitFor(() => context.failures.length > 0, 'the failed connection to be reported');
    assert.equal(sink.stats.pendingRecords, 500);
    const rsyslog = await startRsyslog({ port });
    await sink.flush();
    await waitFor(() => rsyslog.lines().length >= 500, 'buffered records to reach rsyslog', 60_000);
    await sink.close();
    await rsyslog.stop();
    const check = checkOutput(payloads(rsyslog.lines()));
    assert.equal(check.producers.get('early')?.count, 500);
    assert.equal(check.missing + check.duplicated + check.outOfOrder + check.torn, 0);
    assert.equal(check.records, 500, 'only the records reach rsyslog');
    assert.equal(context.notices.filter((notice) => notice.event === 'tributary.reconnected').length, 1);
    assert.match(failureMessages(context)[0] ?? '', /cannot connect/);
    assert.equal(context.droppedRecords, 0);
  }, 90_000);

  test('with the defaults a 20 KiB record arrives as one marked record; newline framing keeps records whole', async () => {
    const rsyslog = await startRsyslog();
    const octets = socketSink({ port: rsyslog.port });
    const newline = socketSink({ port: rsyslog.port, framing: 'newline' });
    const big = makeEntries(1, 'big');
    const huge = JSON.parse((big[0] as { line: string }).line) as Record<string, unknown>;
    const entry = {
      line: JSON.stringify({ ...huge, msg: 'x'.repeat(20 * 1024) }),
      level: 'info' as const,
      get record() {
        return JSON.parse(this.line) as never;
      },
    };
    await octets.write(batchOf([entry]));
    await octets.close();
    const lines = makeEntries(100, 'nl');
    await newline.write(batchOf(lines));
    await newline.close();
    await waitFor(() => rsyslog.lines().length >= 101, 'rsyslog to store 101 lines', 60_000);
    await rsyslog.stop();
    const stored = rsyslog.lines();
    assert.equal(stored.length, 101);
    const first = stored[0] as string;
    assert.ok(Buffer.byteLength(first) <= 8_192, 'cut to 8 KiB');
    const record = JSON.parse(parseSyslogMessage(first)?.msg ?? '') as { msg: string; truncated: { bytes: number }; seq: number };
    assert.ok(record.msg.endsWith(TRUNCATION_MARK));
    assert.ok(record.truncated.bytes > 20 * 1024);
    assert.equal(record.seq, 1);
    const check = checkOutput(payloads(stored.slice(1)));
    assert.equal(check.producers.get('nl')?.count, 100);
    assert.equal(check.torn + check.missing + check.duplicated, 0);
    const withNewline = payloads(stored.slice(1))
      .map((line) => JSON.parse(line) as { seq: number; text: string })
      .find((r) => r.seq === 7);
    assert.equal(withNewline?.text, 'multi\nline "quoted" ünïcødé 🎉');
  }, 90_000);

  test("rsyslog's mmjsonparse reads the record's fields straight from MSG", async () => {
    const rsyslog = await startRsyslog({ jsonFields: ['producer', 'seq', 'n', 'logger'] });
    const sink = socketSink({ port: rsyslog.port });
    await sink.write(batchOf(makeEntries(50, 'json')));
    await sink.close();
    await waitFor(() => rsyslog.lines().length >= 50, 'rsyslog to store 50 lines', 60_000);
    await rsyslog.stop();
    assert.deepEqual(
      rsyslog.lines(),
      Array.from({ length: 50 }, (_, index) => `json ${index + 1} ${index + 1} conformance`),
    );
  }, 90_000);
});
