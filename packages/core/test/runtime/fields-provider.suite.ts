import assert from 'node:assert/strict';
import { QueueListener, addFieldsProvider } from '@tributary/core';
import { memorySink } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';

type Row = Record<string, unknown>;

/** Fields providers: fields from someone else's context (a trace span, say) on every enabled record. */
export default function suite(t: TestApi): void {
  t.describe('addFieldsProvider', () => {
    t.test('its fields go on every enabled record; bound and call fields win; a disabled call does not ask it', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
      let calls = 0;
      let current: Row | undefined = { traceId: 't1', spanId: 's1' };
      const remove = addFieldsProvider(() => {
        calls += 1;
        return current;
      });
      try {
        const logger = listener.logger({ level: 'info' });
        logger.debug('disabled');
        assert.equal(calls, 0);
        logger.info('one');
        current = undefined;
        logger.info('none');
        current = { traceId: 't2', spanId: 's2' };
        logger.child({ fields: { spanId: 'bound' } }).info('bound');
        logger.info('call', { traceId: 'call' });
      } finally {
        remove();
        remove();
      }
      listener.logger({ producer: 'after' }).info('removed');
      assert.equal(await listener.flush(), true);
      const rows = sink.lines().map((line) => JSON.parse(line) as Row);
      assert.deepEqual(
        rows.map((row) => [row['msg'], row['traceId'], row['spanId']]),
        [
          ['one', 't1', 's1'],
          ['none', undefined, undefined],
          ['bound', 't2', 'bound'],
          ['call', 'call', 's2'],
          ['removed', undefined, undefined],
        ],
      );
      assert.equal(calls, 4);
      await listener.stop();
    });

    t.test('a provider that throws does not stop the log call: the record says why', async () => {
      const sink = memorySink();
      const listener = new QueueListener({ sinks: [sink], drainOnExit: false, drainOnSignals: false });
      const remove = addFieldsProvider(() => {
        throw new Error('no span today');
      });
      try {
        listener.logger().info('still written', { n: 1 });
      } finally {
        remove();
      }
      assert.equal(await listener.flush(), true);
      const row = JSON.parse(sink.lines()[0] ?? '{}') as Row;
      assert.deepEqual([row['msg'], row['n'], row['_fieldsProviderError']], ['still written', 1, 'no span today']);
      assert.throws(() => addFieldsProvider('x' as never), /addFieldsProvider: provider must be a function/);
      await listener.stop();
    });
  });
}
