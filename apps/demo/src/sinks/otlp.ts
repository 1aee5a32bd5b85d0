import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { ExportRequestInfo, Receiver, ReceiverAnswer } from '@tributary/sink-otlp/receiver';
import { chooseReceiverRestart } from '../chaos.ts';
import type { DemoSink } from '../types.ts';
import { readLines } from './read-lines.ts';

/** Longest wait for the sink to deliver what it holds at stop: the collector confirms each request, so the demo waits for all of them. */
const DRAIN_TIMEOUT_MS = 120_000;
/** Chaos mode: longest the receiver stays down waiting for the sink to try it (and fail) once. */
const DOWN_TIMEOUT_MS = 30_000;

/**
 * The OTLP sink, OTLP/HTTP JSON with gzip, to an embedded receiver on 127.0.0.1; at the end the
 * receiver's records, turned back into the Tributary lines they came from, go to `received.log`.
 * With `--chaos`, the receiver is stopped once, at a moment drawn from the seed, with the request
 * that reaches that moment unanswered (so it was not taken), and started again on the same port
 * once the sink has found it down: the sink must send that request and everything after it again.
 */
export const otlpDemoSink: DemoSink = {
  name: 'otlp',
  async open(spec) {
    const restartAfterRecords = spec.chaos ? Math.ceil(chooseReceiverRestart(spec.seed) * spec.producers * spec.records) : undefined;
    const receivers: Receiver[] = [];
    let restarted: Promise<void> | undefined;
    const acceptedSoFar = (): number => receivers.reduce((sum, receiver) => sum + receiver.accepted, 0);
    const respond = (request: ExportRequestInfo): ReceiverAnswer | undefined => {
      if (restartAfterRecords === undefined || restarted !== undefined || acceptedSoFar() + request.records < restartAfterRecords) return undefined;
      // Left unanswered: the receiver stops with this request in hand, which it therefore never took.
      restarted = new Promise((resolve) => setImmediate(resolve)).then(restart);
      return { delayMs: DRAIN_TIMEOUT_MS };
    };
    const restart = async (): Promise<void> => {
      const stopped = receivers[receivers.length - 1] as Receiver;
      const retriesBefore = sink.stats.retries;
      await stopped.close();
      process.stderr.write(`CHAOS the OTLP receiver stopped after taking ${acceptedSoFar()} records\n`);
      // The sink's request failed with the connection (one retry), then it tried the stopped port (another).
      await waitFor(() => sink.stats.retries >= retriesBefore + 2, 'the sink to try the stopped receiver', DOWN_TIMEOUT_MS).catch(() => {});
      receivers.push(await createReceiver({ port: stopped.port, respond }));
      process.stderr.write(`CHAOS the OTLP receiver restarted on port ${stopped.port} after ${sink.stats.retries - retriesBefore} failed tries\n`);
    };
    receivers.push(await createReceiver({ respond }));
    const sink = otlpSink({
      endpoint: (receivers[0] as Receiver).url,
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
        await restarted;
        // every record the sink counts as written was answered 2xx: the receivers have it already
        writeFileSync(
          join(spec.dir, 'received.log'),
          receivers
            .flatMap((receiver) => receiver.lines())
            .map((line) => `${line}\n`)
            .join(''),
        );
        await Promise.all(receivers.map((receiver) => receiver.close()));
      },
    };
  },
  async readBack(dir) {
    return readLines(join(dir, 'received.log'));
  },
};
