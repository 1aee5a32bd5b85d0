import { join } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import { socketSink } from '@tributary/sink-socket';
import { createReceiver } from '@tributary/sink-socket/receiver';
import type { DemoSink } from '../types.ts';
import { readLines } from './read-lines.ts';

/**
 * The socket sink, RFC 5424 over TCP with octet-counting framing, to an embedded collector on
 * 127.0.0.1 that appends each record's JSON (the syslog MSG) to `received.log`.
 */
export const socketDemoSink: DemoSink = {
  name: 'socket',
  async open(spec) {
    if (spec.collector === 'rsyslog') throw new Error('--collector rsyslog is not supported by the demo yet; the embedded collector is');
    const receiver = await createReceiver({ transport: 'tcp', file: join(spec.dir, 'received.log'), fileContent: 'payload' });
    const sink = socketSink({ transport: 'tcp', port: receiver.port, encoding: 'rfc5424', bufferRecords: 1_000_000, bufferBytes: 512 * 1024 * 1024 });
    return {
      sink,
      async close() {
        // TCP confirms nothing: wait until the collector has read every byte the sink wrote.
        await waitFor(() => receiver.bytesReceived >= sink.stats().sentBytes, 'the collector to receive everything', 60_000).catch(() => {});
        await receiver.close();
      },
    };
  },
  async readBack(dir) {
    return readLines(join(dir, 'received.log'));
  },
};
