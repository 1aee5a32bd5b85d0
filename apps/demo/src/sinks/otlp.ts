import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { otlpSink } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { DemoSink } from '../types.ts';
import { readLines } from './read-lines.ts';

/** Longest wait for the sink to deliver what it holds at stop: the collector confirms each request, so the demo waits for all of them. */
const DRAIN_TIMEOUT_MS = 120_000;

/**
 * The OTLP sink, OTLP/HTTP JSON with gzip, to an embedded receiver on 127.0.0.1; at the end the
 * receiver's records, turned back into the Tributary lines they came from, go to `received.log`.
 */
export const otlpDemoSink: DemoSink = {
  name: 'otlp',
  async open(spec) {
    const receiver = await createReceiver();
    const sink = otlpSink({
      endpoint: receiver.url,
      env: () => undefined,
      resource: { 'service.name': 'tributary-demo' },
      compression: 'gzip',
      // hold the whole run rather than drop: the demo checks that nothing is lost
      bufferRecords: 10_000_000,
      bufferBytes: 2 * 1024 * 1024 * 1024,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    });
    return {
      sink,
      stopTimeoutMs: DRAIN_TIMEOUT_MS + 10_000,
      async close() {
        // every record the sink counts as written was answered 2xx: the receiver has it already
        writeFileSync(
          join(spec.dir, 'received.log'),
          receiver
            .lines()
            .map((line) => `${line}\n`)
            .join(''),
        );
        await receiver.close();
      },
    };
  },
  async readBack(dir) {
    return readLines(join(dir, 'received.log'));
  },
};
