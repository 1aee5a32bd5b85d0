/** Shared pieces of the runtime-neutral suites: a sink plus an embedded receiver, and read-back. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingSinkContext, waitFor } from '@tributary/core/testing';
import type { RecordingSinkContext, SinkUnderTest } from '@tributary/core/testing';
import { socketSink } from '@tributary/sink-socket';
import type { SocketSink, SocketSinkOptions } from '@tributary/sink-socket';
import { createReceiver } from '@tributary/sink-socket/receiver';
import type { Receiver, ReceiverOptions } from '@tributary/sink-socket/receiver';

/** Opens the sink with a context that keeps what it reports (as a listener would, before the first write). */
export function openWithContext(sink: SocketSink): RecordingSinkContext {
  const context = recordingSinkContext();
  sink.open?.(context);
  return context;
}

/** The messages of the failures a sink reported through its context. */
export function failureMessages(context: RecordingSinkContext): string[] {
  return context.failures.map((failure) => (failure.error instanceof Error ? failure.error.message : String(failure.error)));
}

/** Waits until the sink wrote everything and the receiver got every byte of it, then returns the records' JSON. */
export async function receivedPayloads(sink: SocketSink, receiver: Receiver): Promise<string[]> {
  await waitFor(
    () => sink.stats.pendingRecords === 0 && receiver.bytesReceived >= sink.stats.writtenBytes,
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
