/**
 * The collector's side: its socket file (mode, folder check, stale and live sockets), peers that
 * send corrupt, oversized, malformed or wrong-version frames, a producer id already connected, the
 * connection limit and bad options.
 */
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { QueueListener } from '@tributary/core';
import { FrameDecoder, encodeFrame } from '@tributary/core/adapter';
import type { WireFrame } from '@tributary/core/adapter';
import { memorySink, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { listenLocal, localLogger } from '@tributary/local-socket';
import { fixture, recordsOf, startCollector, startProcess, startProducer, tempDir } from './helpers.ts';

/** A raw peer: sends `bytes`, collects the collector's answers until it closes the connection. */
function rawPeer(path: string, bytes: readonly Uint8Array[]): Promise<WireFrame[]> {
  return new Promise((resolve, reject) => {
    const decoder = new FrameDecoder();
    const answers: WireFrame[] = [];
    const socket = createConnection({ path }, () => {
      for (const chunk of bytes) socket.write(chunk);
    });
    socket.on('data', (chunk: Uint8Array) => answers.push(...decoder.push(chunk)));
    socket.on('error', reject);
    socket.on('close', () => resolve(answers));
  });
}

/**
 * A TCP relay on 127.0.0.1 in front of the collector's port that cuts its first connection, both
 * ways, once `cutAfterBytes` went through from the producer (a connection broken while both ends live).
 */
async function cuttingRelay(collectorPort: number, cutAfterBytes: number): Promise<{ port: number; cuts: () => number; close(): void }> {
  let connections = 0;
  let cuts = 0;
  const sockets = new Set<Socket>();
  const server = createServer((producer) => {
    const first = connections++ === 0;
    const collector = createConnection({ host: '127.0.0.1', port: collectorPort });
    for (const socket of [producer, collector]) {
      sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    }
    let forwarded = 0;
    producer.on('data', (chunk: Uint8Array) => {
      collector.write(chunk);
      forwarded += chunk.length;
      if (first && forwarded >= cutAfterBytes && !producer.destroyed) {
        cuts += 1;
        producer.destroy();
        collector.destroy();
      }
    });
    collector.on('data', (chunk: Uint8Array) => producer.write(chunk));
    producer.on('close', () => collector.end());
    collector.on('close', () => producer.destroy());
  });
  await new Promise<void>((done) => server.listen({ host: '127.0.0.1', port: 0 }, done));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    cuts: () => cuts,
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

const hello = (producer: string, version = 1): WireFrame => ({
  type: 'hello',
  version,
  producer,
  runtime: 'node',
  pid: 4242,
  thread: 0,
  lastSeq: 0,
  durable: false,
});
const line = (producer: string, seq: number, msg: string): string =>
  `{"time":"2026-12-04T00:00:00.000Z","level":"info","msg":"${msg}","logger":"","producer":"${producer}","seq":${seq},"pid":4242}`;

export default function collectorSuite(t: TestApi): void {
  t.describe('local-socket collector', () => {
    t.test('the socket is made 0600 by default, or with the mode asked for, and removed on close', async () => {
      const dir = tempDir();
      try {
        for (const [mode, expected] of [
          [undefined, 0o600],
          [0o660, 0o660],
        ] as const) {
          const listener = new QueueListener({ sinks: [memorySink()] });
          const path = join(dir.path, `mode-${expected.toString(8)}.sock`);
          const collector = await listenLocal(listener, mode === undefined ? { path } : { path, mode });
          assert.equal(lstatSync(path).mode & 0o777, expected);
          await collector.close();
          await listener.stop();
          assert.throws(() => lstatSync(path), /ENOENT/);
        }
      } finally {
        dir.remove();
      }
    });

    t.test('a folder others may write to (without the sticky bit) is refused', async () => {
      const dir = tempDir();
      try {
        const open = join(dir.path, 'open');
        mkdirSync(open);
        chmodSync(open, 0o777);
        const listener = new QueueListener({ sinks: [memorySink()] });
        await assert.rejects(listenLocal(listener, { path: join(open, 'c.sock') }), /writable by others/);
        await assert.rejects(listenLocal(listener, { path: join(dir.path, 'missing', 'c.sock') }), /cannot be used/);
        await listener.stop();
      } finally {
        dir.remove();
      }
    });

    t.test("a dead collector's socket file is replaced; a live collector's is not taken; a plain file is left alone", async () => {
      const dir = tempDir();
      try {
        const path = join(dir.path, 'c.sock');
        const dead = startProcess('node', fixture('collector.mjs'), [path, join(dir.path, 'dead.log')]);
        await dead.waitForOutput('listening');
        dead.child.kill('SIGKILL');
        await dead.exited;
        assert.ok(lstatSync(path).isSocket(), 'the killed collector left its socket file');
        const collector = await startCollector(dir.path, { path });
        const second = new QueueListener({ sinks: [memorySink()] });
        await assert.rejects(listenLocal(second, { path }), /another collector is listening/);
        const producer = startProducer('node', path, 'after-stale', 100, 'close');
        assert.equal((await producer.exited).code, 0, producer.output());
        const { lines } = await collector.finish();
        assert.equal(recordsOf(lines, 'after-stale').length, 100);
        const plain = join(dir.path, 'plain.sock');
        writeFileSync(plain, 'not a socket');
        await assert.rejects(listenLocal(second, { path: plain }), /not a socket/);
        await second.stop();
      } finally {
        dir.remove();
      }
    });

    t.test('corrupt, oversized, malformed and wrong-version frames close that connection with a report; the collector goes on', async () => {
      const dir = tempDir();
      try {
        const collector = await startCollector(dir.path, { maxFrameBytes: 65_536 });
        const path = collector.address;
        const garbage = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
        assert.deepEqual(await rawPeer(path, [garbage]), []);
        const big = encodeFrame({ type: 'batch', producer: 'big', firstSeq: 1, lines: [line('big', 1, 'x'.repeat(100_000))] });
        assert.deepEqual(await rawPeer(path, [encodeFrame(hello('big')), big]), []);
        const malformed = encodeFrame({ type: 'batch', producer: 'bad', firstSeq: 'one', lines: [] } as unknown as WireFrame);
        assert.deepEqual(await rawPeer(path, [encodeFrame(hello('bad')), malformed]), []);
        const foreign = encodeFrame({ type: 'batch', producer: 'someone-else', firstSeq: 1, lines: [line('someone-else', 1, 'forged')] });
        assert.deepEqual(await rawPeer(path, [encodeFrame(hello('honest')), foreign]), []);
        const answers = await rawPeer(path, [encodeFrame(hello('future', 99))]);
        assert.equal(answers[0]?.type, 'refused');
        assert.match(String((answers[0] as { reason: string }).reason), /protocol version 99/);
        // The collector still takes a well-behaved producer.
        const producer = startProducer('node', path, 'good', 500, 'close');
        assert.equal((await producer.exited).code, 0, producer.output());
        const { lines, check } = await collector.finish();
        assert.equal(recordsOf(lines, 'good').length, 500);
        assert.equal(recordsOf(lines, 'someone-else').length, 0, 'a forged batch is not written');
        const closed = (check.notices.get('tributary.connection_closed') ?? []).map((notice) => String(notice['reason']));
        assert.equal(closed.length, 4, closed.join('\n'));
        assert.match(closed[0] as string, /corrupt frame/);
        assert.match(closed[1] as string, /oversized frame \(\d+ bytes announced, maxFrameBytes is 65536\)/);
        assert.match(closed[2] as string, /malformed frame: batch with a bad firstSeq/);
        assert.match(closed[3] as string, /batch of producer "someone-else"/);
        assert.ok(collector.reports.some((report) => /protocol version 99/.test(report.message)));
        assert.equal(collector.reports.filter((report) => report.kind === 'protocol' && /closed the connection/.test(report.message)).length, 4);
      } finally {
        dir.remove();
      }
    });

    t.test('a producer id already connected is refused with a clear error, which that producer reports', async () => {
      const dir = tempDir();
      try {
        const collector = await startCollector(dir.path);
        const first = startProducer('node', collector.address, 'twin', 10, 'wait');
        await first.waitForOutput('logged');
        const second = startProducer('node', collector.address, 'twin', 10, 'close', { flushTimeout: 1_500, waitConnected: false });
        await second.exited;
        assert.match(second.output(), /report: the collector refused this producer \(it tries again later\): producer id "twin" is already connected/);
        // The refused producer's records were never taken: its fallback (stderr) has them.
        assert.equal((second.output().match(/"msg":"record"/g) ?? []).length, 10);
        first.child.stdin?.write('close\n');
        await first.exited;
        const { lines, check } = await collector.finish();
        assert.equal(recordsOf(lines, 'twin').length, 10);
        assert.ok((check.notices.get('tributary.refused') ?? []).some((notice) => /already connected/.test(String(notice['reason']))));
      } finally {
        dir.remove();
      }
    });

    t.test('beyond maxConnections a producer is refused, reports it, and gets in once there is room', async () => {
      const dir = tempDir();
      try {
        const collector = await startCollector(dir.path, { maxConnections: 1 });
        const first = startProducer('node', collector.address, 'first', 10, 'wait');
        await first.waitForOutput('logged');
        const second = startProducer('node', collector.address, 'second', 10, 'wait', { waitConnected: false, reconnectMaxDelayMs: 200 });
        await second.waitForOutput('maxConnections');
        first.child.stdin?.write('close\n');
        await first.exited;
        second.child.stdin?.write('close\n');
        await second.exited;
        const { lines } = await collector.finish();
        assert.equal(recordsOf(lines, 'first').length, 10);
        assert.equal(recordsOf(lines, 'second').length, 10, second.output());
        assert.ok(collector.reports.some((report) => /maxConnections/.test(report.message)));
        await waitFor(() => collector.collector.connections === 0, 'no connection left');
      } finally {
        dir.remove();
      }
    });

    t.test(
      'a connection cut while both ends live: the producer reconnects, sends again what was not confirmed, and every record is written once, with no report',
      async () => {
        const dir = tempDir();
        try {
          const collector = await startCollector(dir.path, { port: 0 });
          const relay = await cuttingRelay(Number(collector.address.slice('tcp:'.length)), 200_000);
          try {
            const producer = startProducer('node', `tcp:${relay.port}`, 'cut', 20_000, 'close', { paceEvery: 100, reconnectMaxDelayMs: 200 });
            assert.equal((await producer.exited).code, 0, producer.output());
            assert.equal(relay.cuts(), 1);
            const { lines, check } = await collector.finish();
            const seqs = recordsOf(lines, 'cut').map((record) => record['seq']);
            assert.deepEqual(
              seqs,
              Array.from({ length: 20_000 }, (_, index) => index + 1),
              'every record once, in order',
            );
            assert.deepEqual([...check.notices.keys()], [], 'nothing reported lost, no producer_exited');
          } finally {
            relay.close();
          }
        } finally {
          dir.remove();
        }
      },
    );

    t.test('bad options: a clear error at configuration time', async () => {
      const listener = new QueueListener({ sinks: [memorySink()] });
      const cases: [object, RegExp][] = [
        [{}, /path \(a Unix socket\) or port/],
        [{ path: '/tmp/x.sock', port: 1 }, /either path .* or port/],
        [{ port: 70_000 }, /listenLocal: port must be an integer from 0 to 65535; got 70000/],
        [{ port: 0, host: '0.0.0.0' }, /host must be a loopback address/],
        [{ path: '/tmp/x.sock', mode: '600' }, /listenLocal: mode must be an integer/],
        [{ path: '/tmp/x.sock', maxConnections: 0 }, /listenLocal: maxConnections must be an integer ≥ 1; got 0/],
        [{ path: '' }, /listenLocal: path must be a non-empty string/],
        [{ port: 0, reconnectGraceMs: -1 }, /listenLocal: reconnectGraceMs must be an integer ≥ 0; got -1/],
      ];
      for (const [options, message] of cases) await assert.rejects(listenLocal(listener, options as never), message);
      await assert.rejects(listenLocal({} as never, { port: 0 }), /listener must be a QueueListener/);
      assert.throws(() => localLogger(undefined as never), /localLogger: options are required/);
      assert.throws(() => localLogger({ path: '/tmp/x.sock', maxUnconfirmedBytes: -1 }), /localLogger: maxUnconfirmedBytes must be an integer ≥ 1024; got -1/);
      assert.throws(() => localLogger({ path: '/tmp/x.sock', fallback: 'disk' as never }), /localLogger: fallback must be/);
      assert.throws(() => localLogger({ port: 1, host: 'example.com' }), /host must be a loopback address/);
      assert.throws(() => localLogger({ path: '/tmp/x.sock', reconnectMinDelayMs: 0 }), /reconnectMinDelayMs must be an integer ≥ 1/);
      await listener.stop();
    });
  });
}
