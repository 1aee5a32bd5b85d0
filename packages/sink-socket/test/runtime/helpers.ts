/** Shared pieces of the runtime-neutral suites: a sink plus an embedded receiver, and read-back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@tributary/core/testing';
import type { SinkUnderTest } from '@tributary/core/testing';
import { socketSink } from '@tributary/sink-socket';
import type { SocketSink, SocketSinkOptions } from '@tributary/sink-socket';
import { createReceiver } from '@tributary/sink-socket/receiver';
import type { Receiver, ReceiverOptions } from '@tributary/sink-socket/receiver';

/** Errors the sink reports, collected instead of printed. */
export function collectErrors(): { readonly messages: string[]; readonly onError: (error: Error) => void } {
  const messages: string[] = [];
  return { messages, onError: (error) => messages.push(error.message) };
}

/** Waits until the sink wrote everything and the receiver got every byte of it, then returns the records' JSON. */
export async function receivedPayloads(sink: SocketSink, receiver: Receiver): Promise<string[]> {
  await waitFor(
    () => sink.stats().bufferedRecords === 0 && receiver.bytesReceived >= sink.stats().sentBytes,
    'the sink to write everything and the receiver to get it',
    30_000,
  );
  return receiver.records().map((record) => record.payload);
}

/** A temporary directory for Unix sockets. */
export function tempDir(): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'tributary-sock-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A sink connected to a fresh embedded receiver, for the conformance suite. */
export async function sinkWithReceiver(
  sinkOptions: Partial<SocketSinkOptions>,
  receiverOptions: ReceiverOptions = {},
): Promise<SinkUnderTest & { receiver: Receiver; socketSink: SocketSink }> {
  const dir = receiverOptions.transport === 'unix' ? tempDir() : undefined;
  const receiver = await createReceiver({ keep: true, ...receiverOptions, ...(dir ? { path: join(dir.path, 'collector.sock') } : {}) });
  const sink = socketSink({
    ...(receiver.path !== '' ? { transport: 'unix' as const, path: receiver.path } : { port: receiver.port }),
    maxRecordBytes: 1024 * 1024,
    ...sinkOptions,
  });
  return {
    sink,
    socketSink: sink,
    receiver,
    readBack: () => receivedPayloads(sink, receiver),
    cleanup: async () => {
      await receiver.close();
      dir?.remove();
    },
  };
}
