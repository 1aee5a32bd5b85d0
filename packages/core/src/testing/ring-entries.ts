import { QueueHandler } from '../queue/handler.ts';
import { QueueListener } from '../queue/listener.ts';
import type { Batch } from '../batch.ts';
import type { LogEntry } from '../record.ts';
import { createRingBuffer } from '../shared-memory/ring-layout.ts';
import { createRingListenerEndpoint } from '../shared-memory/ring-listener.ts';
import { createRingProducerEndpoint } from '../shared-memory/ring-producer.ts';
import type { Sink } from '../sink.ts';

/**
 * Entries exactly as a sink receives them from a worker thread: each message is logged (level
 * `info`, logger `ring`, field `n` from 1) through a real shared-memory ring to a real listener, so
 * the entries hold the UTF-8 bytes the producer wrote (`Batch.bytes()` hands them on without a copy
 * when a batch arrived together). Returns the batches the listener dispatched, in order. The ring
 * holds 1 MiB; `messages` must fit in it (a few thousand records of a few hundred bytes do).
 */
export async function ringBatches(messages: readonly string[], producer = 'r1'): Promise<Batch[]> {
  const batches: Batch[] = [];
  const sink: Sink = {
    name: 'ring-batches',
    write: (batch) => void batches.push(batch),
    flush: async () => {},
    close: async () => {},
    [Symbol.asyncDispose]: async () => {},
  };
  const listener = new QueueListener({ sinks: [sink], onReport: () => {}, drainOnExit: false });
  const ring = createRingBuffer(1024 * 1024);
  listener.attach(createRingListenerEndpoint(ring));
  const handler = new QueueHandler(createRingProducerEndpoint(ring, { waitTimeout: 30_000 }), { producer, runtime: 'test' });
  messages.forEach((message, index) => handler.write('info', message, '"ring"', '', { n: index + 1 }));
  const flushed = await listener.flush();
  const delivered = batches.slice();
  await handler.close();
  await listener.stop();
  if (!flushed) throw new Error('ringBatches: the listener did not confirm the flush');
  return delivered;
}

/** `count` messages with two-, three- and four-byte characters, of varying length. */
export function multiByteMessages(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `record ${index + 1} ünïcødé ✓ 🎉 ${'ß'.repeat(index % 7)}`);
}

/**
 * `count` records of {@link multiByteMessages} from a real ring, in order, as entries a sink
 * receives (see {@link ringBatches}); throws if the listener did not deliver all of them.
 */
export async function ringEntries(count: number, producer = 'r1'): Promise<readonly LogEntry[]> {
  const entries = (await ringBatches(multiByteMessages(count), producer)).flatMap((batch) => batch.entries);
  if (entries.length !== count) throw new Error(`ringEntries: ${entries.length} of ${count} records arrived`);
  return entries;
}
