import assert from 'node:assert/strict';
import { QueueListener } from '@tributary/core';
import { QueueHandler, StreamListenerEndpoint, StreamProducerEndpoint, encodeFrame } from '@tributary/core/adapter';
import type { ChannelCloseInfo, DeliveryMode, StreamListenerIo, StreamProducerIo, StreamProducerSettings, StreamProducerStatus } from '@tributary/core/adapter';
import { checkOutput, memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

/**
 * An in-memory byte stream in both directions, as a socket or a pair of pipes would be: the records
 * direction holds at most `capacity` bytes until its reader takes them (asynchronously, unless
 * paused); answers arrive on a later task. `broken` makes every write throw (the reader is gone).
 */
function memoryStreams(capacity = 65_536) {
  const state = { capacity, buffered: 0, written: 0, attempts: 0, paused: false, broken: false, producerClosed: false };
  let waiting: Uint8Array[] = [];
  let receiveRecords: ((chunk: Uint8Array) => void) | undefined;
  let endRecords: (() => void) | undefined;
  let receiveAnswers: ((chunk: Uint8Array) => void) | undefined;
  let scheduled = false;
  const deliver = (): void => {
    scheduled = false;
    if (state.paused) return;
    const chunks = waiting;
    waiting = [];
    state.buffered = 0;
    for (const chunk of chunks) receiveRecords?.(chunk);
    if (state.producerClosed) endRecords?.();
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setTimeout(deliver, 0);
  };
  const producerIo: StreamProducerIo = {
    writeSync(bytes, offset, length) {
      state.attempts += 1;
      if (state.broken) throw new Error('EPIPE: the reader is gone');
      const taken = Math.min(length, state.capacity - state.buffered);
      if (taken <= 0) return 0;
      waiting.push(bytes.slice(offset, offset + taken));
      state.buffered += taken;
      state.written += taken;
      schedule();
      return taken;
    },
    readAnswers(receive) {
      receiveAnswers = receive;
    },
    keepAlive() {},
    close() {
      state.producerClosed = true;
      schedule();
    },
  };
  const listenerIo: StreamListenerIo = {
    readRecords(receive, end) {
      receiveRecords = receive;
      endRecords = end;
    },
    writeAnswer(bytes) {
      const copy = bytes.slice();
      setTimeout(() => receiveAnswers?.(copy), 0);
    },
    close() {},
  };
  return {
    state,
    producerIo,
    listenerIo,
    resume(): void {
      state.paused = false;
      schedule();
    },
  };
}

function settings(delivery: DeliveryMode, overrides: Partial<StreamProducerSettings> = {}): StreamProducerSettings {
  return { delivery, waitTimeout: 1_000, backPressureBytes: 1 << 20, closeTimeout: 5_000, onUndelivered: () => {}, ...overrides };
}

function lines(count: number, firstSeq = 1): string[] {
  return Array.from({ length: count }, (_, index) => `{"msg":"r","producer":"p","seq":${firstSeq + index}}`);
}

/** A listener-side stream the test feeds by hand: `receive(chunk)` delivers bytes, `end()` ends the records. */
function handFedRecords() {
  const hooks = { receive: (_chunk: Uint8Array): void => {}, end: (): void => {} };
  const io: StreamListenerIo = {
    readRecords(onChunk, onEnd) {
      hooks.receive = onChunk;
      hooks.end = onEnd;
    },
    writeAnswer() {},
    close() {},
  };
  return { io, receive: (chunk: Uint8Array) => hooks.receive(chunk), end: () => hooks.end() };
}

/** The stream channel from `@tributary/core/adapter`, over injected in-memory primitives. */
export default function suite(t: TestApi): void {
  t.describe('the stream channel over injected primitives', () => {
    for (const delivery of ['batched', 'sync'] as const) {
      t.test(`every record arrives once, in order, and the endpoint knows the last seq and the producer (${delivery})`, async () => {
        // Sync delivery waits for room while the event loop stands still, so its in-memory stream never fills.
        const streams = memoryStreams(delivery === 'sync' ? 1 << 24 : 4_096);
        const sink = memorySink();
        const listener = new QueueListener({ sinks: [sink], onReport: () => {}, drainOnExit: false });
        const listenerEnd = new StreamListenerEndpoint(streams.listenerIo);
        listener.attach(listenerEnd);
        const producerEnd = new StreamProducerEndpoint(streams.producerIo, settings(delivery));
        assert.equal(producerEnd.durable, delivery === 'sync');
        const handler = new QueueHandler(producerEnd, { producer: 's1', runtime: 'test' });
        for (let n = 1; n <= 3_000; n++) {
          handler.write('info', 'record', '"stream"', '', { n });
          // The stream takes 4 KiB at a time; let its reader run now and then.
          if (n % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
        }
        await handler.close();
        const info = await listenerEnd.ended;
        await listener.stop();
        assert.equal(info.reason, 'stream ended');
        assert.equal(listenerEnd.lastSeq, 3_000);
        assert.equal(listenerEnd.announced, 's1');
        const check = checkOutput(sink.lines());
        assert.deepEqual(check.producers.get('s1'), { count: 3_000, maxSeq: 3_000, missing: 0, duplicated: 0, outOfOrder: 0 });
        assert.equal(check.notices.size, 0);
      });
    }

    t.test('sync delivery: send returns only once the frame is whole in the stream', () => {
      const streams = memoryStreams();
      const producerEnd = new StreamProducerEndpoint(streams.producerIo, settings('sync'));
      const frame = { type: 'batch', producer: 'p', firstSeq: 1, lines: lines(1) } as const;
      producerEnd.send(frame);
      assert.equal(streams.state.written, encodeFrame(frame).length);
    });

    t.test('sync delivery into a stream that takes nothing: send throws after waitTimeout and the channel closes', () => {
      const streams = memoryStreams(0);
      const undelivered: string[] = [];
      let closed = 0;
      const producerEnd = new StreamProducerEndpoint(
        streams.producerIo,
        settings('sync', { waitTimeout: 30, onUndelivered: (given) => undelivered.push(...given) }),
      );
      producerEnd.onClose(() => (closed += 1));
      assert.throws(() => producerEnd.send({ type: 'batch', producer: 'p', firstSeq: 1, lines: lines(1) }), /did not take the record in time/);
      assert.equal(closed, 1);
      // The queue handler hands that record to its fallback itself.
      assert.deepEqual(undelivered, []);
      assert.throws(() => producerEnd.send({ type: 'batch', producer: 'p', firstSeq: 2, lines: lines(1, 2) }), /closed/);
    });

    t.test('a stream whose reader is gone: the records of frames not written whole go to onUndelivered', () => {
      const streams = memoryStreams(0);
      const undelivered: string[] = [];
      let closed = 0;
      const producerEnd = new StreamProducerEndpoint(streams.producerIo, settings('batched', { onUndelivered: (given) => undelivered.push(...given) }));
      producerEnd.onClose(() => (closed += 1));
      producerEnd.send({ type: 'batch', producer: 'p', firstSeq: 1, lines: lines(3) });
      producerEnd.send({ type: 'batch', producer: 'p', firstSeq: 4, lines: lines(2, 4) });
      streams.state.broken = true;
      producerEnd.drainSync();
      assert.deepEqual(undelivered, [...lines(3), ...lines(2, 4)]);
      assert.equal(closed, 1);
    });

    t.test('batched back-pressure: a full stream makes a log call wait (up to waitTimeout), then not again until the stream moves', async () => {
      const streams = memoryStreams(0);
      const producerEnd = new StreamProducerEndpoint(streams.producerIo, settings('batched', { waitTimeout: 40, backPressureBytes: 1, closeTimeout: 10 }));
      producerEnd.send({ type: 'batch', producer: 'p', firstSeq: 1, lines: lines(1) });
      const firstAttempts = streams.state.attempts;
      assert.ok(firstAttempts > 1, `the first call kept trying while it waited (${firstAttempts} writes)`);
      producerEnd.send({ type: 'batch', producer: 'p', firstSeq: 2, lines: lines(1, 2) });
      assert.equal(streams.state.attempts, firstAttempts, 'the second call does not wait again while the stream has not moved');
      // Room again: the writer's retry timer puts everything out, in order.
      streams.state.capacity = 1 << 20;
      const total = [1, 2].reduce((sum, seq) => sum + encodeFrame({ type: 'batch', producer: 'p', firstSeq: seq, lines: lines(1, seq) }).length, 0);
      await waitFor(() => streams.state.written === total, 'the waiting frames to go out');
      producerEnd.close();
    });

    t.test('closing: a slow reader that keeps taking gets the time it needs; one that takes nothing for closeTimeout is given up on', () => {
      // Takes 100 bytes every 20 ms of wall time: slower in all than closeTimeout, never stalled that long.
      let nextAt = Date.now();
      let taken = 0;
      const slowIo: StreamProducerIo = {
        writeSync(_bytes, _offset, length) {
          if (Date.now() < nextAt) return 0;
          nextAt = Date.now() + 20;
          const now = Math.min(100, length);
          taken += now;
          return now;
        },
        readAnswers() {},
        keepAlive() {},
        close() {},
      };
      const undelivered: string[] = [];
      const slow = new StreamProducerEndpoint(slowIo, settings('batched', { closeTimeout: 200, onUndelivered: (given) => undelivered.push(...given) }));
      const frame = { type: 'batch', producer: 'p', firstSeq: 1, lines: lines(60) } as const;
      slow.send(frame);
      slow.close();
      assert.equal(taken, encodeFrame(frame).length);
      assert.deepEqual(undelivered, []);

      const givenUp: string[] = [];
      const stuck = memoryStreams(0);
      const stuckEnd = new StreamProducerEndpoint(
        stuck.producerIo,
        settings('batched', { closeTimeout: 30, onUndelivered: (given) => givenUp.push(...given) }),
      );
      stuckEnd.send(frame);
      stuckEnd.close();
      assert.deepEqual(givenUp, lines(60));
    });

    for (const durable of [false, true]) {
      t.test(
        `a producer whose stream ends without goodbye after a normal exit: ${durable ? 'sync delivery loses nothing' : 'batched delivery reports an unknown loss after its last seq, never 0'}`,
        async () => {
          const { io, receive, end } = handFedRecords();
          const sink = memorySink();
          const listener = new QueueListener({ sinks: [sink], onReport: () => {}, drainOnExit: false });
          const status: StreamProducerStatus = { description: 'exit code 0', exit: { reason: 'ended', code: 0 } };
          const endpoint = new StreamListenerEndpoint(io, { status: () => status, onStatus: () => {}, unknown: 'still running', wait: 50 });
          listener.attach(endpoint);
          receive(encodeFrame({ type: 'hello', version: 1, producer: 'quiet', runtime: 'test', pid: 1, thread: 0, durable }));
          receive(encodeFrame({ type: 'batch', producer: 'quiet', firstSeq: 1, lines: lines(3).map((line) => line.replace('"p"', '"quiet"')) }));
          end();
          await endpoint.ended;
          const summary = await listener.stop();
          const lost = checkOutput(sink.lines()).notices.get('tributary.lost') ?? [];
          if (durable) {
            assert.deepEqual(lost, []);
            assert.equal(summary.producers[0]?.lostUnknownAfterSeq, undefined);
          } else {
            assert.deepEqual(
              lost.map((notice) => [notice['lost'], notice['afterSeq']]),
              [['unknown', 3]],
            );
            assert.equal(summary.producers[0]?.lostUnknownAfterSeq, 3);
            assert.equal(summary.complete, false);
          }
        },
      );
    }

    t.test('a frame torn by the producer’s death is discarded and exactly its records reported lost', async () => {
      const { io, receive, end } = handFedRecords();
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], onReport: () => {}, drainOnExit: false });
      const endpoint = new StreamListenerEndpoint(io);
      listener.attach(endpoint);
      receive(encodeFrame({ type: 'hello', version: 1, producer: 'torn', runtime: 'test', pid: 1, thread: 0, durable: true }));
      receive(encodeFrame({ type: 'batch', producer: 'torn', firstSeq: 1, lines: lines(3).map((line) => line.replace('"p"', '"torn"')) }));
      const cut = encodeFrame({ type: 'batch', producer: 'torn', firstSeq: 4, lines: lines(3, 4).map((line) => line.replace('"p"', '"torn"')) });
      receive(cut.subarray(0, cut.length - 10));
      end();
      const info: ChannelCloseInfo = await endpoint.ended;
      await listener.stop();
      assert.equal(info.lastSeqKnown, 6);
      assert.match(info.reason ?? '', /^stream ended; discarded a frame cut short/);
      const check = checkOutput(sink.lines());
      assert.equal(check.producers.get('torn')?.count, 3);
      assert.deepEqual(
        (check.notices.get('tributary.lost') ?? []).map((notice) => [notice['fromSeq'], notice['toSeq']]),
        [[4, 6]],
      );
    });

    t.test('a producer watch: the close waits (bounded) for the status and carries its description and exit', async () => {
      const make = (status: () => StreamProducerStatus | undefined) => {
        let end: () => void = () => {};
        let notify: () => void = () => {};
        const io: StreamListenerIo = {
          readRecords(_receive, onEnd) {
            end = onEnd;
          },
          writeAnswer() {},
          close() {},
        };
        const endpoint = new StreamListenerEndpoint(io, { status, onStatus: (callback) => (notify = callback), unknown: 'still running', wait: 50 });
        return { endpoint, end: () => end(), notify: () => notify() };
      };
      let known: StreamProducerStatus | undefined;
      const later = make(() => known);
      let settled = false;
      void later.endpoint.ended.then(() => (settled = true));
      later.end();
      await new Promise((resolve) => setTimeout(resolve, 0));
      assert.equal(settled, false, 'waits for the status');
      known = { description: 'exit code 3', exit: { reason: 'crashed', code: 3 } };
      later.notify();
      assert.deepEqual(await later.endpoint.ended, { reason: 'exit code 3', exit: { reason: 'crashed', code: 3 } });
      const never = make(() => undefined);
      never.end();
      await waitFor(async () => (await Promise.race([never.endpoint.ended, Promise.resolve(undefined)])) !== undefined, 'the status wait to pass');
      assert.deepEqual(await never.endpoint.ended, { reason: 'still running' });
    });
  });
}
