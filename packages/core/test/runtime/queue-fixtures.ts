/** Endpoints, sinks and lines shared by the queue suites. */
import { QueueListener } from '@tributary/core';
import { PROTOCOL_VERSION, QueueHandler, RecordEncoder } from '@tributary/core/adapter';
import type { Sink } from '@tributary/core';
import type { Batch } from '@tributary/core/sink';
import type { ChannelCloseInfo, ListenerEndpoint, ListenerFrame, ProducerEndpoint, ProducerFrame } from '@tributary/core/adapter';
import { memorySink } from '@tributary/core/testing';

/** A producer endpoint written for the test: it keeps every frame and never acknowledges, until told to. */
export function recordingProducerEndpoint(): ProducerEndpoint & {
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
export function scriptedListenerEndpoint(): ListenerEndpoint & {
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
export function lines(producer: string, from: number, to: number): string[] {
  const encoder = new RecordEncoder({ producer, pid: 9 });
  const out: string[] = [];
  for (let seq = from; seq <= to; seq++) out.push(encoder.encode('info', `r${seq}`, encoder.quoteName('remote'), seq, '', { seq }));
  return out;
}

export function hello(producer: string, version = PROTOCOL_VERSION): unknown {
  return { type: 'hello', version, producer, runtime: 'test', pid: 9, thread: 0 };
}

export function parsed(sink: { lines(): string[] }): Record<string, unknown>[] {
  return sink.lines().map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A sink whose writes take a few milliseconds each, and which records flush and close calls. */
export function slowSink(): Sink & { lines(): string[]; flushes: number; closes: number } {
  const written: string[] = [];
  const sink = {
    name: 'slow',
    flushes: 0,
    closes: 0,
    lines: () => [...written],
    async write(batch: Batch) {
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
export function flakySink(failures: number): Sink & { lines(): string[]; attempts: number } {
  const inner = memorySink('flaky');
  const sink = {
    name: 'flaky',
    attempts: 0,
    lines: () => inner.lines(),
    write(batch: Batch) {
      sink.attempts += 1;
      if (sink.attempts <= failures) throw new Error(`write ${sink.attempts} failed`);
      return inner.write(batch);
    },
    flush: () => inner.flush(),
    close: () => inner.close(),
    [Symbol.asyncDispose]: () => inner[Symbol.asyncDispose](),
  };
  return sink;
}

/** QueueHandler + QueueListener + the in-process channel, and the listener's handling of every kind of frame. */
