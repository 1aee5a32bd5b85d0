import { type Sink, type SinkContext, type SinkStats, SinkClosedError, describeThrown, functionOption, integerOption } from '@tributary/core/sink';

/** Options of {@link sendSink}. */
export interface SendSinkOptions {
  /** Delivers one body of JSON lines (an HTTP POST, a queue publish); rejects when it did not arrive. Required. */
  readonly send: (body: string) => Promise<void>;
  /** Tries per batch before its records are given up and reported as dropped. Default: 3. */
  readonly attempts?: number;
}
/** A sink named `send` that hands each batch, as JSON lines, to `send`, retrying; what it cannot deliver it reports as dropped. */
export function sendSink(options: SendSinkOptions): Sink {
  const send = functionOption('sendSink', 'send', options.send ?? null, undefined) as SendSinkOptions['send'];
  const attempts = integerOption('sendSink', 'attempts', options.attempts, { min: 1, default: 3 });
  const deliver = (body: string, left: number): Promise<void> => send(body).catch((error) => (left > 1 ? deliver(body, left - 1) : Promise.reject(error)));
  const counts = { written: 0, dropped: 0, failed: 0, pendingRecords: 0, pendingBytes: 0 };
  const state: { context?: SinkContext; closed: boolean } = { closed: false };
  return {
    name: 'send',
    open: (given) => void Object.assign(state, { context: given }),
    async write(batch) {
      if (state.closed) throw new SinkClosedError('send');
      Object.assign(counts, { pendingRecords: batch.length, pendingBytes: batch.byteLength });
      try {
        await deliver(batch.text(), attempts);
        counts.written += batch.length;
      } catch (error) {
        counts.dropped += batch.length;
        state.context?.dropped(batch.length, `send failed ${attempts} times: ${describeThrown(error)}`);
      }
      Object.assign(counts, { pendingRecords: 0, pendingBytes: 0 });
    },
    flush: async () => {},
    close: async () => void Object.assign(state, { closed: true }),
    [Symbol.asyncDispose]: async () => void Object.assign(state, { closed: true }),
    get stats(): SinkStats {
      return { ...counts };
    },
  };
}
