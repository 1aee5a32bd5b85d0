import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { batchOf } from '@tributary/core/sink';
import { makeEntries, runSinkConformance, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { socketSink } from '@tributary/sink-socket';
import { createReceiver } from '@tributary/sink-socket/receiver';
import { failureMessages, openWithContext, receivedPayloads, tempDir } from './helpers.ts';

interface SelfSigned {
  readonly key: string;
  readonly cert: string;
}

let generated: SelfSigned | undefined;

/** A self-signed certificate for localhost and 127.0.0.1, made once with openssl. */
function selfSigned(): SelfSigned {
  if (generated !== undefined) return generated;
  const dir = tempDir();
  try {
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir.path, 'key.pem'),
        '-out',
        join(dir.path, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`openssl could not make a test certificate: ${result.stderr ?? result.error}`);
    generated = { key: readFileSync(join(dir.path, 'key.pem'), 'utf8'), cert: readFileSync(join(dir.path, 'cert.pem'), 'utf8') };
    return generated;
  } finally {
    dir.remove();
  }
}

/** TLS through node:tls, against a receiver with a self-signed certificate made at test time. */
export default function suite(t: TestApi): void {
  runSinkConformance(t, {
    name: 'socket sink, RFC 5424 over TLS',
    create: async () => {
      const { key, cert } = selfSigned();
      const receiver = await createReceiver({ tls: { key, cert }, keep: true });
      const sink = socketSink({ transport: 'tls', port: receiver.port, tls: { ca: cert }, maxRecordBytes: 1024 * 1024 });
      return { sink, readBack: () => receivedPayloads(sink, receiver), cleanup: () => receiver.close() };
    },
  });

  t.describe('socket sink over TLS', () => {
    t.test('an untrusted certificate is reported, records wait, and the sink never throws', async () => {
      const { key, cert } = selfSigned();
      const receiver = await createReceiver({ tls: { key, cert }, keep: true });
      const sink = socketSink({ transport: 'tls', port: receiver.port, reconnect: { initialDelay: 20, maxDelay: 100 }, drainTimeout: 200 });
      const context = openWithContext(sink);
      await sink.write(batchOf(makeEntries(3)));
      await waitFor(() => context.failures.length > 0, 'the TLS failure to be reported');
      assert.match(failureMessages(context)[0] ?? '', /cannot connect/);
      assert.equal(sink.stats.pendingRecords, 3);
      assert.equal(receiver.received, 0);
      await sink.close();
      assert.equal(context.droppedRecords, 3, 'the three records are reported undelivered at close');
      await receiver.close();
    });

    t.test('with a spool: records spooled while the collector is down go out once it is up, and a clean TLS close removes the spool', async () => {
      const { key, cert } = selfSigned();
      const spoolDir = tempDir();
      const probe = await createReceiver();
      const port = probe.port;
      await probe.close();
      let receiver: Awaited<ReturnType<typeof createReceiver>> | undefined;
      try {
        const options = { transport: 'tls' as const, port, tls: { ca: cert }, reconnect: { initialDelay: 20, maxDelay: 100 }, spool: { dir: spoolDir.path } };
        const sink = socketSink(options);
        const context = openWithContext(sink);
        await sink.write(batchOf(makeEntries(50)));
        await waitFor(() => sink.stats.spooledRecords === 50, 'the 50 records in the spool');
        receiver = await createReceiver({ port, tls: { key, cert }, keep: true });
        await waitFor(() => receiver !== undefined && receiver.received >= 50, 'the 50 records at the receiver');
        await sink.close();
        assert.equal(receiver.received, 50, 'once each');
        assert.deepEqual([context.droppedRecords, sink.stats.spooledRecords], [0, 0]);
        assert.deepEqual(readdirSync(spoolDir.path), [], 'confirmed by the clean close: the spool files removed, the lock given back');
      } finally {
        await receiver?.close();
        spoolDir.remove();
      }
    });
  });
}
