import assert from 'node:assert/strict';
import { Logger, PROTOCOL_VERSION, QueueHandler, QueueListener, RecordEncoder } from '@tributary/core';
import type {
  ChannelCloseInfo,
  ListenerEndpoint,
  ListenerFrame,
  ListenerReport,
  LogEntry,
  ProducerEndpoint,
  ProducerFrame,
  Sink,
} from '@tributary/core';
import { checkOutput, failingSink, memorySink, stallingSink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/** A producer endpoint written for the test: it keeps every frame and never acknowledges, until told to. */
function recordingProducerEndpoint(): ProducerEndpoint & {
  frames: ProducerFrame[];
  toProducer(frame: ListenerFrame): void;
  closed: boolean;
} {
  let receiver: ((frame: ListenerFrame) => void) | undefined;
  const endpoint = {
    frames: [] as ProducerFrame[],
    closed: false,
    send(frame: ProducerFrame) {
      if (endpoint.closed) throw new Error('closed');
      endpoint.frames.push(frame);
    },
    onFrame(callback: (frame: ListenerFrame) => void) {
      receiver = callback;
    },
    onClose() {},
    close() {
      endpoint.closed = true;
    },
    toProducer(frame: ListenerFrame) {
      receiver?.(frame);
    },
  };
  return endpoint;
}

/** A listener endpoint driven by hand: the test plays a producer, frame by frame. */
function scriptedListenerEndpoint(): ListenerEndpoint & {
  deliver(frame: unknown): void;
  end(info: ChannelCloseInfo): void;
  sent: ListenerFrame[];
  closed: boolean;
} {
  let receiver: ((frame: ProducerFrame) => void) | undefined;
  let onClose: ((info: ChannelCloseInfo) => void) | undefined;
  const endpoint = {
    sent: [] as ListenerFrame[],
    closed: false,
    send(frame: ListenerFrame) {
      endpoint.sent.push(frame);
    },
    onFrame(callback: (frame: ProducerFrame) => void) {
      receiver = callback;
    },
    onClose(callback: (info: ChannelCloseInfo) => void) {
      onClose = callback;
    },
    close() {
      endpoint.closed = true;
    },
    deliver(frame: unknown) {
      receiver?.(frame as ProducerFrame);
    },
    end(info: ChannelCloseInfo) {
      onClose?.(info);
    },
  };
  return endpoint;
}

/** Canonical lines of producer `producer` for sequence numbers `from..to`. */
function lines(producer: string, from: number, to: number): string[] {
  const encoder = new RecordEncoder({ producer, pid: 9 });
  const out: string[] = [];
  for (let seq = from; seq <= to; seq++) out.push(encoder.encode('info', `r${seq}`, encoder.quoteName('remote'), seq, '', { seq }));
  return out;
}

function hello(producer: string, version = PROTOCOL_VERSION): unknown {
  return { type: 'hello', version, producer, runtime: 'test', pid: 9, thread: 0 };
}

function parsed(sink: { lines(): string[] }): Record<string, unknown>[] {
  return sink.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A sink whose writes take a few milliseconds each, and which records flush and close calls. */
function slowSink(): Sink & { lines(): string[]; flushes: number; closes: number } {
  const written: string[] = [];
  const sink = {
    name: 'slow',
    flushes: 0,
    closes: 0,
    lines: () => [...written],
    async write(batch: readonly LogEntry[]) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      for (const entry of batch) written.push(entry.line);
    },
    async flush() {
      sink.flushes += 1;
    },
    async close() {
      sink.closes += 1;
    },
    async [Symbol.asyncDispose]() {
      await sink.close();
    },
  };
  return sink;
}

/** A sink whose first `failures` writes throw. */
function flakySink(failures: number): Sink & { lines(): string[]; attempts: number } {
  const inner = memorySink('flaky');
  const sink = {
    name: 'flaky',
    attempts: 0,
    lines: () => inner.lines(),
    write(batch: readonly LogEntry[]) {
      sink.attempts += 1;
      if (sink.attempts <= failures) throw new Error(`write ${sink.attempts} failed`);
      return inner.write(batch);
    },
    flush: () => inner.flush(),
    close: () => inner.close(),
    [Symbol.asyncDispose]: () => inner.close(),
  };
  return sink;
}

/** QueueHandler + QueueListener + the in-process channel, and the listener's handling of every kind of frame. */
export default function suite(t: TestApi): void {
  t.describe('queue: in-process producers', () => {
    t.test('several local producers: each has seq 1..N without gaps, duplicates or reordering', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const producers = ['main', 'p2', 'p3'];
      const loggers = producers.map((producer) => listener.logger({ producer, batchSize: 7 + producers.indexOf(producer) * 50 }));
      const perProducer = 3_000;
      for (let index = 0; index < perProducer; index++) {
        for (const logger of loggers) logger.info('record', { index });
        if (index % 500 === 0) await Promise.resolve();
      }
      const summary = await listener.stop();
      const check = checkOutput(sink.lines());
      assert.equal(check.torn, 0);
      for (const producer of producers) {
        assert.deepEqual(check.producers.get(producer), { count: perProducer, maxSeq: perProducer, missing: 0, duplicated: 0, outOfOrder: 0 });
      }
      assert.equal(summary.received, perProducer * producers.length);
      assert.equal(summary.lost, 0);
      assert.equal(summary.timedOut, false);
      assert.equal(check.notices.size, 0, 'nothing to report');
    });

    t.test('flush() resolves true only after the records reached a slow sink', async () => {
      const sink = slowSink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const logger = listener.logger({ flushInterval: 50 });
      for (let index = 0; index < 300; index++) logger.info('r', { index });
      assert.equal(await logger.flush(), true);
      assert.equal(sink.lines().length, 300);
      assert.ok(sink.flushes >= 1);
      for (let index = 0; index < 100; index++) logger.info('more', { index });
      assert.equal(await listener.flush(), true);
      assert.equal(sink.lines().length, 400);
      await listener.stop();
    });

    t.test('stop() drains, flushes and closes the sinks, resolves once with the same promise, and is idempotent', async () => {
      const sink = slowSink();
      const other = memorySink();
      const listener = new QueueListener({ sinks: [sink, other], drainOnExit: false });
      const logger = listener.logger({ producer: 'a' });
      for (let index = 0; index < 500; index++) logger.info('r', { index });
      const first = listener.stop();
      const second = listener.stop();
      assert.equal(first, second);
      let resolutions = 0;
      void first.then(() => (resolutions += 1));
      const summary = await first;
      await listener[Symbol.asyncDispose]();
      assert.equal(await listener.stop(), summary);
      assert.equal(resolutions, 1);
      assert.equal(summary.timedOut, false);
      assert.equal(summary.received, 500);
      assert.equal(sink.lines().length, 500);
      assert.equal(other.lines().length, 500);
      assert.ok(sink.flushes >= 1, 'flushed');
      assert.equal(sink.closes, 1, 'closed once');
      assert.doesNotThrow(() => logger.info('after stop'));
      assert.equal(sink.lines().length, 500);
      const late = scriptedListenerEndpoint();
      listener.attach(late);
      assert.equal(late.sent[0]?.type, 'refused');
      assert.equal(late.closed, true);
    });

    t.test('stop() with a stalled sink gives up after stopTimeout; the healthy sink has everything', async () => {
      const stalled = stallingSink();
      const healthy = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [stalled, healthy], stopTimeout: 300, drainOnExit: false, onReport: (report) => reports.push(report) });
      const logger = listener.logger();
      for (let index = 0; index < 100; index++) logger.info('r', { index });
      const summary = await listener.stop();
      assert.equal(summary.timedOut, true);
      assert.equal(healthy.lines().length, 100);
      assert.ok(reports.some((report) => /stop\(\) gave up after 300 ms/.test(report.message)));
      stalled.release();
    });

    t.test('records logged before stop() reach the sinks even with a partial batch on a timer', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const logger = listener.logger({ flushInterval: 60_000, batchSize: 1_000 });
      for (let index = 0; index < 10; index++) logger.info('r', { index });
      assert.equal(sink.lines().length, 0);
      await listener.stop();
      assert.equal(checkOutput(sink.lines()).producers.get('main')?.count, 10);
    });
  });

  t.describe('queue: bounded producer queue', () => {
    t.test('beyond maxQueuedBytes records are dropped; written + dropped counts equal what was logged', async () => {
      const endpoint = recordingProducerEndpoint();
      const handler = new QueueHandler(endpoint, { producer: 'p', maxQueuedBytes: 4_000, batchSize: 5 });
      const logger = new Logger(handler, 'bounded', 'info');
      const logged = 300;
      for (let index = 0; index < logged; index++) logger.info('payload', { index });
      await Promise.resolve();
      assert.ok(handler.stats.dropped > 0, 'some records were dropped');
      assert.ok(handler.stats.queuedBytes < 4_000 + 200, 'memory stays bounded');
      handler.closeNow();
      const sent = endpoint.frames.flatMap((frame) => (frame.type === 'batch' ? frame.lines : []));
      const check = checkOutput(sent);
      const notices = check.notices.get('tributary.dropped') ?? [];
      assert.ok(notices.length >= 1, 'the loss is reported as a record');
      const dropped = notices.reduce((sum, notice) => sum + Number(notice['dropped']), 0);
      const written = sent.length - notices.length;
      assert.equal(written + dropped, logged);
      assert.equal(dropped, handler.stats.dropped);
      assert.equal(check.producers.get('p')?.missing, 0, 'sequence numbers stay contiguous');
      const bye = endpoint.frames.at(-1);
      assert.deepEqual(bye, { type: 'bye', producer: 'p', lastSeq: sent.length });
    });

    t.test('once acknowledged, the drop notice goes out before the next records', async () => {
      const endpoint = recordingProducerEndpoint();
      const handler = new QueueHandler(endpoint, { producer: 'p', maxQueuedBytes: 2_000, batchSize: 4 });
      const logger = new Logger(handler, 'bounded', 'info');
      for (let index = 0; index < 100; index++) logger.info('first wave', { index });
      await Promise.resolve();
      const droppedSoFar = handler.stats.dropped;
      assert.ok(droppedSoFar > 0);
      endpoint.toProducer({ type: 'ack', seq: handler.stats.lastSeq });
      await waitFor(() => endpoint.frames.some((frame) => frame.type === 'batch' && frame.lines.some((line) => line.includes('tributary.dropped'))), 'the drop notice');
      logger.info('after recovery');
      await Promise.resolve();
      const sent = endpoint.frames.flatMap((frame) => (frame.type === 'batch' ? frame.lines : []));
      const records = sent.map((line) => JSON.parse(line) as Record<string, unknown>);
      const noticeIndex = records.findIndex((record) => record['msg'] === 'tributary.dropped');
      assert.equal(records[noticeIndex]?.['dropped'], droppedSoFar);
      assert.equal(records.at(-1)?.['msg'], 'after recovery');
      assert.ok(noticeIndex < records.length - 1);
      assert.equal(checkOutput(sent).producers.get('p')?.missing, 0);
      assert.equal(records.filter((record) => record['msg'] === 'first wave').length + droppedSoFar, 100);
      handler.closeNow();
    });

    t.test('redaction happens before the record is queued: no frame carries the secret', () => {
      const secret = 'sk_live_0123456789';
      const endpoint = recordingProducerEndpoint();
      const handler = new QueueHandler(endpoint, { producer: 'p', redact: { keys: ['apiKey'], censor: '<hidden>' } });
      const logger = new Logger(handler, 'billing', 'info').child({ fields: { APIKEY: secret } });
      logger.info('charge', { config: { apiKey: secret, region: 'eu' } });
      handler.closeNow();
      const wire = JSON.stringify(endpoint.frames);
      assert.ok(!wire.includes(secret));
      const batch = endpoint.frames.find((frame) => frame.type === 'batch');
      const record = JSON.parse((batch?.type === 'batch' ? batch.lines[0] : '{}') as string) as Record<string, any>;
      assert.equal(record['APIKEY'], '<hidden>');
      assert.deepEqual(record['config'], { apiKey: '<hidden>', region: 'eu' });
    });

    t.test('a refused producer: flush() resolves false and later records go to the fallback', async () => {
      const endpoint = recordingProducerEndpoint();
      const fallen: string[] = [];
      const handler = new QueueHandler(endpoint, { producer: 'p', fallback: (batch) => fallen.push(...batch) });
      const logger = new Logger(handler, 'x', 'info');
      endpoint.toProducer({ type: 'refused', reason: 'producer p speaks protocol version 2; this listener speaks 1' });
      logger.info('after refusal');
      assert.equal(await logger.flush(), false);
      assert.equal(fallen.length, 1);
      assert.equal((JSON.parse(fallen[0] as string) as Record<string, unknown>)['msg'], 'after refusal');
      assert.equal(handler.stats.undeliverable, 1);
    });

    t.test('a closed channel: later batches go to the fallback and are counted', () => {
      const endpoint = recordingProducerEndpoint();
      const fallen: string[] = [];
      const handler = new QueueHandler(endpoint, { producer: 'p', batchSize: 2, fallback: (batch) => fallen.push(...batch) });
      const logger = new Logger(handler, 'x', 'info');
      endpoint.closed = true;
      logger.info('a');
      logger.info('b');
      assert.equal(fallen.length, 2);
      assert.equal(handler.stats.undeliverable, 2);
      assert.doesNotThrow(() => logger.info('c'));
    });
  });

  t.describe('queue: the listener and its producers', () => {
    t.test('a sequence gap gives one tributary.lost record with the exact count', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('r'));
      endpoint.deliver({ type: 'batch', producer: 'r', firstSeq: 1, lines: lines('r', 1, 2) });
      endpoint.deliver({ type: 'batch', producer: 'r', firstSeq: 6, lines: lines('r', 6, 7) });
      assert.equal(await listener.flush(), true);
      const records = parsed(sink);
      const lost = records.filter((record) => record['msg'] === 'tributary.lost');
      assert.equal(lost.length, 1);
      assert.equal(lost[0]?.['lost'], 3);
      assert.equal(lost[0]?.['fromSeq'], 3);
      assert.equal(lost[0]?.['toSeq'], 5);
      assert.equal(lost[0]?.['lostProducer'], 'r');
      assert.equal(lost[0]?.['producer'], 'listener');
      assert.deepEqual(records.filter((record) => record['producer'] === 'r').map((record) => record['seq']), [1, 2, 6, 7]);
      assert.deepEqual(endpoint.sent, [{ type: 'ack', seq: 2 }, { type: 'ack', seq: 7 }]);
      assert.equal((await listener.stop()).lost, 3);
    });

    t.test('duplicates are written once', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('d'));
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 1, lines: lines('d', 1, 3) });
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 2, lines: lines('d', 2, 5) });
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 1, lines: lines('d', 1, 2) });
      endpoint.deliver({ type: 'batch', producer: 'd', firstSeq: 5, lines: lines('d', 5, 6) });
      const summary = await listener.stop();
      assert.deepEqual(parsed(sink).map((record) => record['seq']), [1, 2, 3, 4, 5, 6]);
      assert.equal(summary.received, 6);
      assert.equal(summary.lost, 0);
    });

    t.test('a hello with another protocol version is refused with a clear reason', async () => {
      const sink = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: (report) => reports.push(report) });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('future', PROTOCOL_VERSION + 1));
      endpoint.deliver({ type: 'batch', producer: 'future', firstSeq: 1, lines: lines('future', 1, 1) });
      const refused = endpoint.sent.find((frame) => frame.type === 'refused');
      assert.ok(refused !== undefined && refused.type === 'refused');
      assert.equal(refused.reason, `producer future speaks protocol version ${PROTOCOL_VERSION + 1}; this listener speaks ${PROTOCOL_VERSION}`);
      assert.equal(endpoint.closed, true);
      assert.equal(reports[0]?.kind, 'producer');
      await listener.stop();
      const records = parsed(sink);
      assert.equal(records.length, 1, 'only the refusal notice, none of the refused producer\'s records');
      assert.equal(records[0]?.['msg'], 'tributary.refused');
      assert.match(String(records[0]?.['reason']), /protocol version/);
    });

    t.test('a producer id already connected is refused', async () => {
      const listener = new QueueListener({ sinks: [memorySink()], drainOnExit: false, onReport: () => {} });
      const first = scriptedListenerEndpoint();
      const second = scriptedListenerEndpoint();
      listener.attach(first);
      listener.attach(second);
      first.deliver(hello('same'));
      second.deliver(hello('same'));
      assert.deepEqual(second.sent, [{ type: 'refused', reason: 'producer id "same" is already connected' }]);
      assert.equal(first.sent.length, 0);
      await listener.stop();
    });

    t.test('malformed frames do not crash the listener; it keeps serving good producers', async () => {
      const sink = memorySink();
      const reports: ListenerReport[] = [];
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: (report) => reports.push(report) });
      const bad = scriptedListenerEndpoint();
      listener.attach(bad);
      const hostileFrame = new Proxy({}, { get() { throw new Error('frame getter'); } });
      const garbage: unknown[] = [
        null, undefined, 'text', 42, [], { type: 'nope' }, hostileFrame,
        { type: 'hello' }, { type: 'hello', version: 1, producer: '' },
        { type: 'batch', firstSeq: 'x', lines: [] }, { type: 'batch', firstSeq: 1, lines: 'no' }, { type: 'flush' }, { type: 'bye', lastSeq: -1 },
      ];
      for (const frame of garbage) assert.doesNotThrow(() => bad.deliver(frame));
      assert.ok(reports.filter((report) => report.kind === 'protocol').length >= garbage.length - 1);
      bad.deliver(hello('bad'));
      const hostileLine = { toString() { throw new Error('no text'); } };
      const batch = { type: 'batch', producer: 'bad', firstSeq: 1, lines: [lines('bad', 1, 1)[0], 'not json\n{"forged":true}', hostileLine, 17, '{"torn":', lines('bad', 6, 6)[0]] };
      assert.doesNotThrow(() => bad.deliver(batch));
      const good = scriptedListenerEndpoint();
      listener.attach(good);
      good.deliver(hello('good'));
      good.deliver({ type: 'batch', producer: 'good', firstSeq: 1, lines: lines('good', 1, 3) });
      await listener.stop();
      const check = checkOutput(sink.lines());
      assert.equal(check.torn, 0, 'every line written is one valid JSON record');
      for (const line of sink.lines()) assert.ok(!line.includes('\n'));
      assert.deepEqual(check.producers.get('bad'), { count: 6, maxSeq: 6, missing: 0, duplicated: 0, outOfOrder: 0 }, 'unusable lines keep their place');
      assert.equal(check.producers.get('good')?.count, 3);
      const badRecords = parsed(sink).filter((record) => record['producer'] === 'bad');
      assert.equal(badRecords[1]?.['msg'], 'not json\n{"forged":true}');
      assert.equal(badRecords[1]?.['unparsable'], true);
    });

    t.test('a hello with a bad lastSeq is refused; a good one resumes the sequence after it', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, onReport: () => {} });
      const bad = scriptedListenerEndpoint();
      listener.attach(bad);
      bad.deliver({ ...(hello('x') as object), lastSeq: 'many' });
      assert.equal(bad.sent[0]?.type, 'refused');
      const resumed = scriptedListenerEndpoint();
      listener.attach(resumed);
      resumed.deliver({ ...(hello('y') as object), lastSeq: 10 });
      resumed.deliver({ type: 'batch', producer: 'y', firstSeq: 11, lines: lines('y', 11, 12) });
      await listener.stop();
      assert.deepEqual(parsed(sink).filter((record) => record['producer'] === 'y').map((record) => record['seq']), [11, 12]);
      assert.equal(parsed(sink).filter((record) => record['msg'] === 'tributary.lost').length, 0);
    });

    t.test('a producer that ends without bye: what it handed over is kept, the rest reported lost', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('dying'));
      endpoint.deliver({ type: 'batch', producer: 'dying', firstSeq: 1, lines: lines('dying', 1, 4) });
      endpoint.end({ reason: 'exit code 1', lastSeqKnown: 9 });
      const summary = await listener.stop();
      const records = parsed(sink);
      assert.equal(records.filter((record) => record['producer'] === 'dying').length, 4);
      const lost = records.filter((record) => record['msg'] === 'tributary.lost');
      assert.equal(lost.length, 1);
      assert.equal(lost[0]?.['lost'], 5);
      assert.equal(summary.lost, 5);
      const exited = records.find((record) => record['msg'] === 'tributary.producer_exited');
      assert.equal(exited?.['reason'], 'exit code 1');
      assert.equal(checkOutput(sink.lines()).producers.get('listener')?.missing, 0, 'the listener\'s own records are in sequence too');
    });

    t.test('bye announcing records that never arrived reports them lost', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('b'));
      endpoint.deliver({ type: 'batch', producer: 'b', firstSeq: 1, lines: lines('b', 1, 2) });
      endpoint.deliver({ type: 'bye', producer: 'b', lastSeq: 5 });
      endpoint.end({ reason: 'closed' });
      assert.equal((await listener.stop()).lost, 3);
      assert.equal(parsed(sink).filter((record) => record['msg'] === 'tributary.producer_exited').length, 0, 'a producer that said bye did not die');
    });

    t.test('flush frames are answered with flushed once the sinks have the records', async () => {
      const sink = slowSink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false });
      const endpoint = scriptedListenerEndpoint();
      listener.attach(endpoint);
      endpoint.deliver(hello('f'));
      endpoint.deliver({ type: 'batch', producer: 'f', firstSeq: 1, lines: lines('f', 1, 50) });
      endpoint.deliver({ type: 'flush', id: 7 });
      await waitFor(() => endpoint.sent.some((frame) => frame.type === 'flushed'), 'the flushed frame');
      assert.deepEqual(endpoint.sent.find((frame) => frame.type === 'flushed'), { type: 'flushed', id: 7, complete: true });
      assert.equal(sink.lines().length, 50);
      await listener.stop();
    });
  });

  t.describe('queue: failing sinks', () => {
    t.test('failure reports are rate-limited per sink, with the count of those suppressed', async () => {
      let clock = 1_000;
      const reports: ListenerReport[] = [];
      const failing = failingSink();
      const healthy = memorySink();
      const listener = new QueueListener({
        sinks: [failing, healthy],
        errorReportInterval: 5_000,
        now: () => clock,
        onReport: (report) => reports.push(report),
        drainOnExit: false,
      });
      const logger = listener.logger();
      for (let round = 0; round < 5; round++) {
        logger.info('r', { round });
        assert.equal(await listener.flush(), true);
        clock += 100;
      }
      assert.equal(failing.attempts, 5);
      assert.equal(reports.length, 1);
      assert.match(reports[0]?.message ?? '', /^sink failing failed to write 1 records: disk on fire$/);
      clock += 5_000;
      logger.info('later');
      await listener.flush();
      assert.equal(reports.length, 2);
      assert.match(reports[1]?.message ?? '', /\(and 4 more failures since the last report\)$/);
      await listener.stop();
      const errors = parsed(healthy).filter((record) => record['msg'] === 'tributary.sink_error');
      assert.deepEqual(errors.map((record) => [record['sink'], record['suppressed']]), [['failing', 0], ['failing', 4]]);
      assert.equal(parsed(healthy).filter((record) => record['msg'] === 'r' || record['msg'] === 'later').length, 6, 'the healthy sink got everything');
    });

    t.test('an onReport callback that throws breaks nothing: logging, flushing and the other sinks go on', async () => {
      const healthy = memorySink();
      let reports = 0;
      const listener = new QueueListener({
        sinks: [failingSink(), { sink: failingSink('filtered'), filter: () => { throw new Error('filter bug'); } }, healthy],
        errorReportInterval: 0,
        drainOnExit: false,
        onReport: () => {
          reports += 1;
          throw new Error('report handler bug');
        },
      });
      const logger = listener.logger();
      for (let index = 0; index < 20; index++) assert.doesNotThrow(() => logger.info('r', { index }));
      assert.equal(await logger.flush(), true);
      assert.equal(await listener.flush(), true);
      assert.ok(reports > 0);
      await listener.stop();
      assert.equal(checkOutput(healthy.lines()).producers.get('main')?.count, 20);
    });

    t.test('two failing sinks do not report each other\'s failures forever', async () => {
      const first = failingSink('first');
      const second = failingSink('second');
      const healthy = memorySink();
      const listener = new QueueListener({ sinks: [first, second, healthy], errorReportInterval: 0, drainOnExit: false, onReport: () => {} });
      const logger = listener.logger();
      logger.info('one');
      assert.equal(await listener.flush(), true);
      await listener.stop();
      const errors = parsed(healthy).filter((record) => record['msg'] === 'tributary.sink_error');
      assert.deepEqual(errors.map((record) => record['sink']).sort(), ['first', 'second']);
      assert.ok(first.attempts <= 2 && second.attempts <= 2, `bounded attempts: ${first.attempts}, ${second.attempts}`);
    });

    t.test('drainSync (what runs at process exit) writes what is queued and the loss count, even behind a pending write', async () => {
      const gate = stallingSink();
      const handed: LogEntry[] = [];
      const synced: LogEntry[] = [];
      const sink: Sink = {
        ...gate,
        name: 'stuck-async',
        write: (batch) => {
          handed.push(...batch);
          return gate.write(batch);
        },
        writeSync: (batch) => {
          synced.push(...batch);
        },
      };
      const listener = new QueueListener({ sinks: [{ sink, maxPendingBytes: 3_000 }], drainOnExit: false, stopTimeout: 100, onReport: () => {} });
      const logger = listener.logger();
      for (let index = 0; index < 50; index++) logger.info('first', { index });
      await waitFor(() => handed.length > 0, 'the first write to start');
      for (let index = 0; index < 200; index++) logger.info('second', { index });
      listener.drainSync();
      const isUser = (entry: LogEntry): boolean => entry.record.msg === 'first' || entry.record.msg === 'second';
      const isNotice = (entry: LogEntry): boolean => entry.record.msg === 'tributary.dropped';
      assert.equal(synced.filter(isNotice).length, 1);
      assert.ok(synced[0] !== undefined && isNotice(synced[0]), 'the loss is reported first');
      const dropped = [...handed, ...synced].filter(isNotice).reduce((sum, entry) => sum + Number(entry.record['dropped']), 0);
      assert.ok(Number(synced[0]?.record['dropped']) > 0);
      assert.equal(handed.filter(isUser).length + synced.filter(isUser).length + dropped, 250);
      await listener.stop();
      gate.release();
    });

    t.test('bad listener and handler options throw clear errors at configuration time', () => {
      assert.throws(() => new QueueListener({ sinks: [], onReport: 'console' as never }), /onReport must be a function/);
      assert.throws(() => new QueueListener({ sinks: [], stopTimeout: 0 }), /stopTimeout must be an integer ≥ 1; got 0/);
      assert.throws(() => new QueueHandler(recordingProducerEndpoint(), { producer: 'p', fallback: 'stderr' as never }), /fallback must be a function/);
      assert.throws(() => new QueueHandler(recordingProducerEndpoint(), { producer: 'p', maxQueuedBytes: 0 }), /maxQueuedBytes must be an integer ≥ 1/);
    });

    t.test('a failing sink\'s lost records are reported to it once it works again', async () => {
      const flaky = flakySink(2);
      const listener = new QueueListener({ sinks: [flaky], drainOnExit: false, onReport: () => {} });
      const logger = listener.logger();
      logger.info('lost 1');
      await listener.flush();
      logger.info('lost 2');
      logger.info('lost 3');
      await listener.flush();
      logger.info('kept');
      await listener.flush();
      const summary = await listener.stop();
      const records = parsed(flaky);
      assert.deepEqual(records.map((record) => record['msg']), ['tributary.dropped', 'kept']);
      assert.equal(records[0]?.['dropped'], 3);
      assert.equal(records[0]?.['writeFailed'], 3);
      assert.equal(records[0]?.['sink'], 'flaky');
      assert.equal(summary.sinks[0]?.failed, 3);
      assert.equal(summary.sinks[0]?.written, 2);
    });

    t.test('a sink\'s own bounded queue drops beyond maxPendingBytes and reports the exact count', async () => {
      const stalled = stallingSink();
      const handed: LogEntry[] = [];
      const counting: Sink = {
        ...stalled,
        write: (batch) => {
          handed.push(...batch);
          return stalled.write(batch);
        },
      };
      const healthy = memorySink();
      const listener = new QueueListener({ sinks: [{ sink: counting, maxPendingBytes: 2_000 }, healthy], drainOnExit: false, stopTimeout: 200, onReport: () => {} });
      const logger = listener.logger();
      for (let index = 0; index < 200; index++) logger.info('r', { index });
      await waitFor(() => healthy.lines().length >= 200, 'the healthy sink');
      const stats = listener.stats.sinks[0];
      assert.ok(stats !== undefined && stats.dropped > 0);
      const inStalledWrite = handed.filter((entry) => entry.record.msg === 'r').length;
      assert.equal(stats.dropped + stats.pending + inStalledWrite, 200, 'dropped + pending + in the stalled write = logged');
      // The one batch arrived at once, so the drops were known when the first write began.
      const notice = handed.find((entry) => entry.record.msg === 'tributary.dropped');
      assert.equal(notice?.record['dropped'], stats.dropped);
      await listener.stop();
      stalled.release();
      await waitFor(() => stalled.writes >= 2 || listener.stats.sinks[0]?.pending === 0, 'the released sink');
    });
  });
}
