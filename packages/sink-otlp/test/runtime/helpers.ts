/** Shared pieces of the runtime-neutral suites: a sink plus an embedded receiver, and read-back. */
import { recordingSinkContext, waitFor } from '@tributary/core/testing';
import type { RecordingSinkContext, SinkUnderTest } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import type { OtlpSink, OtlpSinkOptions } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { Receiver, ReceiverOptions } from '@tributary/sink-otlp/receiver';

/** An environment with no OTEL_* variables, so that the machine's own do not change a test. */
export const noEnvironment = (): undefined => undefined;

/** Opens the sink with a context that keeps what it reports (as a listener would, before the first write). */
export function openWithContext(sink: OtlpSink): RecordingSinkContext {
  const context = recordingSinkContext();
  sink.open?.(context);
  return context;
}

/** The lines the receiver accepted, once the sink holds nothing and the receiver has every record the sink counts as written. */
export async function receivedLines(sink: OtlpSink, receiver: Receiver): Promise<string[]> {
  await waitFor(
    () => sink.stats.pendingRecords === 0 && receiver.accepted >= sink.stats.written,
    'the sink to send everything and the receiver to take it',
    30_000,
  );
  return receiver.lines();
}

/** A sink sending to a fresh embedded receiver. */
export async function sinkWithReceiver(
  sinkOptions: Partial<OtlpSinkOptions> = {},
  receiverOptions: ReceiverOptions = {},
): Promise<SinkUnderTest & { receiver: Receiver; otlpSink: OtlpSink }> {
  const receiver = await createReceiver(receiverOptions);
  const sink = otlpSink({ endpoint: receiver.url, env: noEnvironment, ...sinkOptions });
  return {
    sink,
    otlpSink: sink,
    receiver,
    readBack: () => receivedLines(sink, receiver),
    cleanup: () => receiver.close(),
  };
}

/** A port where nobody listens (a receiver's, closed again). */
export async function closedPort(): Promise<number> {
  const probe = await createReceiver();
  const port = probe.port;
  await probe.close();
  return port;
}
