import { runSinkConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { createReceiver } from '@tributary/sink-socket/receiver';
import { socketSink } from '@tributary/sink-socket';
import { sinkWithReceiver } from './helpers.ts';

const DRAIN_TIMEOUT_MS = 500;

/** A socket sink to a port where nobody listens (a receiver's, closed again). */
async function sinkToNobody(): Promise<ReturnType<typeof socketSink>> {
  const probe = await createReceiver();
  const port = probe.port;
  await probe.close();
  return socketSink({ port, encoding: 'ndjson', drainTimeout: DRAIN_TIMEOUT_MS, reconnect: { initialDelay: 20, maxDelay: 100 } });
}

/** The socket sink passes the sink conformance suite over TCP (NDJSON and RFC 5424) and a Unix socket. */
export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'socket sink, NDJSON over TCP',
    create: () => sinkWithReceiver({ encoding: 'ndjson' }),
    unreachableDestination: { create: sinkToNobody, boundMs: DRAIN_TIMEOUT_MS },
  });
  runSinkConformance(t, { name: 'socket sink, RFC 5424 octet-counted over TCP', create: () => sinkWithReceiver({ encoding: 'rfc5424' }) });
  runSinkConformance(t, {
    name: 'socket sink, RFC 5424 newline framed over a Unix socket',
    create: () => sinkWithReceiver({ encoding: 'rfc5424', framing: 'newline' }, { transport: 'unix' }),
  });
}
