import { runSinkConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import { closedPort, noEnvironment, sinkWithReceiver } from './helpers.ts';

const DRAIN_TIMEOUT_MS = 500;

/** The OTLP sink passes the sink conformance suite, JSON and gzip, against the embedded receiver. */
export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'otlp sink, JSON',
    create: () => sinkWithReceiver(),
    writeSyncDelivers: false,
    unreachableDestination: {
      create: async () =>
        otlpSink({
          endpoint: `http://127.0.0.1:${await closedPort()}/v1/logs`,
          env: noEnvironment,
          drainTimeoutMs: DRAIN_TIMEOUT_MS,
          retry: { initialDelayMs: 20, maxDelayMs: 100 },
        }),
      boundMs: DRAIN_TIMEOUT_MS,
    },
  });
  runSinkConformance(t, { name: 'otlp sink, JSON with gzip', create: () => sinkWithReceiver({ compression: 'gzip' }), writeSyncDelivers: false });
}
