import { runSinkConformance } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { sinkWithReceiver } from './helpers.ts';

/** The socket sink passes the sink conformance suite over TCP (NDJSON and RFC 5424) and a Unix socket. */
export default function suite(t: TestApi): void {
  runSinkConformance(t, { name: 'socket sink, NDJSON over TCP', create: () => sinkWithReceiver({ encoding: 'ndjson' }) });
  runSinkConformance(t, { name: 'socket sink, RFC 5424 octet-counted over TCP', create: () => sinkWithReceiver({ encoding: 'rfc5424' }) });
  runSinkConformance(t, {
    name: 'socket sink, RFC 5424 newline framed over a Unix socket',
    create: () => sinkWithReceiver({ encoding: 'rfc5424', framing: 'newline' }, { transport: 'unix' }),
  });
}
