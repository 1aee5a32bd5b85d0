import { join } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import { socketSink } from '@tributary/sink-socket';
import { createReceiver } from '@tributary/sink-socket/receiver';
import { startRsyslog } from '../collectors/rsyslog.ts';
import type { DemoSink } from '../types.ts';
import { readLines } from './read-lines.ts';

/**
 * The socket sink, RFC 5424 over TCP with octet-counting framing, to an embedded collector on
 * 127.0.0.1 that appends each record's JSON (the syslog MSG) to `received.log` — or, with
 * `--collector rsyslog`, to a private rsyslogd writing the same file.
 */
export const socketDemoSink: DemoSink = {
  name: 'socket',
  async open(spec) {
    if (spec.collector === 'rsyslog') {
      const rsyslog = await startRsyslog(spec.dir);
      const sink = socketSink({ transport: 'tcp', port: rsyslog.port, encoding: 'rfc5424', bufferRecords: 1_000_000, bufferBytes: 512 * 1024 * 1024 });
      return {
        sink,
        async close() {
          // rsyslog confirms nothing either: wait until its file holds every record the sink sent.
          const sent = sink.stats.written;
          await waitFor(() => readLines(join(spec.dir, 'received.log')).length >= sent, 'rsyslog to write everything', 60_000).catch(() => {});
          await rsyslog.stop();
        },
      };
    }
    const receiver = await createReceiver({ transport: 'tcp', file: join(spec.dir, 'received.log'), fileContent: 'payload' });
    const sink = socketSink({ transport: 'tcp', port: receiver.port, encoding: 'rfc5424', bufferRecords: 1_000_000, bufferBytes: 512 * 1024 * 1024 });
    return {
      sink,
      async close() {
        // TCP confirms nothing: wait until the collector has read every byte the sink wrote.
        await waitFor(() => receiver.bytesReceived >= sink.stats.writtenBytes, 'the collector to receive everything', 60_000).catch(() => {});
        await receiver.close();
      },
    };
  },
  async readBack(dir) {
    return readLines(join(dir, 'received.log'));
  },
};
