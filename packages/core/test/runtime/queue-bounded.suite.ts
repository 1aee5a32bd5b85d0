import assert from 'node:assert/strict';
import { Logger } from '@tributary/core';
import { QueueHandler } from '@tributary/core/adapter';
import { checkOutput, waitFor } from '@tributary/core/testing';
import type { TestApi } from '@tributary/core/testing';
import { recordingProducerEndpoint, lines } from './queue-fixtures.ts';

/** The queue: bounded producer queue. */
export default function suite(t: TestApi): void {
  t.describe('queue: bounded producer queue', () => {
    t.test('beyond maxQueuedChars records are dropped; written + dropped counts equal what was logged', async () => {
      const endpoint = recordingProducerEndpoint();
      const handler = new QueueHandler(endpoint, { producer: 'p', maxQueuedChars: 4_000, batchSize: 5 });
      const logger = new Logger(handler, 'bounded', 'info');
      const logged = 300;
      for (let index = 0; index < logged; index++) logger.info('payload', { index });
      await Promise.resolve();
      assert.ok(handler.stats.dropped > 0, 'some records were dropped');
      assert.ok(handler.stats.queuedChars < 4_000 + 200, 'memory stays bounded');
      handler.closeNow();
      const sent = endpoint.frames.flatMap((frame) => (frame.type === 'batch' ? frame.lines : []));
      const check = checkOutput(sent);
      const notices = check.notices.get('tributary.dropped') ?? [];
      assert.ok(notices.length >= 1, 'the loss is reported as a record');
      const dropped = notices.reduce((sum, notice) => sum + Number(notice['dropped']), 0);
      const written = sent.length - notices.length;
      assert.equal(written + dropped, logged);
      assert.equal(dropped, handler.stats.dropped);
      assert.equal(check.producers.get('p')?.missing, 0, 'sequence numbers stay contiguous');
      const bye = endpoint.frames.at(-1);
      assert.deepEqual(bye, { type: 'bye', producer: 'p', lastSeq: sent.length });
    });

    t.test('once acknowledged, the drop notice goes out before the next records', async () => {
      const endpoint = recordingProducerEndpoint();
      const handler = new QueueHandler(endpoint, { producer: 'p', maxQueuedChars: 2_000, batchSize: 4 });
      const logger = new Logger(handler, 'bounded', 'info');
      for (let index = 0; index < 100; index++) logger.info('first wave', { index });
      await Promise.resolve();
      const droppedSoFar = handler.stats.dropped;
      assert.ok(droppedSoFar > 0);
      endpoint.toProducer({ type: 'ack', seq: handler.stats.lastSeq });
      await waitFor(
        () => endpoint.frames.some((frame) => frame.type === 'batch' && frame.lines.some((line) => line.includes('tributary.dropped'))),
        'the drop notice',
      );
      logger.info('after recovery');
      await Promise.resolve();
      const sent = endpoint.frames.flatMap((frame) => (frame.type === 'batch' ? frame.lines : []));
      const records = sent.map((line) => JSON.parse(line) as Record<string, unknown>);
      const noticeIndex = records.findIndex((record) => record['msg'] === 'tributary.dropped');
      assert.equal(records[noticeIndex]?.['dropped'], droppedSoFar);
      assert.equal(records.at(-1)?.['msg'], 'after recovery');
      assert.ok(noticeIndex < records.length - 1);
      assert.equal(checkOutput(sent).producers.get('p')?.missing, 0);
      assert.equal(records.filter((record) => record['msg'] === 'first wave').length + droppedSoFar, 100);
      handler.closeNow();
    });

    t.test('redaction happens before the record is queued: no frame carries the secret', () => {
      const secret = 'sk_live_0123456789';
      const endpoint = recordingProducerEndpoint();
      const handler = new QueueHandler(endpoint, { producer: 'p', redact: { keys: ['apiKey'], censor: '<hidden>' } });
      const logger = new Logger(handler, 'billing', 'info').child({ fields: { APIKEY: secret } });
      logger.info('charge', { config: { apiKey: secret, region: 'eu' } });
      handler.closeNow();
      const wire = JSON.stringify(endpoint.frames);
      assert.ok(!wire.includes(secret));
      const batch = endpoint.frames.find((frame) => frame.type === 'batch');
      const record = JSON.parse((batch?.type === 'batch' ? batch.lines[0] : '{}') as string) as Record<string, any>;
      assert.equal(record['APIKEY'], '<hidden>');
      assert.deepEqual(record['config'], { apiKey: '<hidden>', region: 'eu' });
    });

    t.test('a refused producer: flush() resolves false and later records go to the fallback', async () => {
      const endpoint = recordingProducerEndpoint();
      const fallen: string[] = [];
      const handler = new QueueHandler(endpoint, { producer: 'p', fallback: (batch) => fallen.push(...batch) });
      const logger = new Logger(handler, 'x', 'info');
      endpoint.toProducer({ type: 'refused', reason: 'producer p speaks protocol version 2; this listener speaks 1' });
      logger.info('after refusal');
      assert.equal(await logger.flush(), false);
      assert.equal(fallen.length, 1);
      assert.equal((JSON.parse(fallen[0] as string) as Record<string, unknown>)['msg'], 'after refusal');
      assert.equal(handler.stats.undeliverable, 1);
    });

    t.test('a closed channel: later batches go to the fallback and are counted', () => {
      const endpoint = recordingProducerEndpoint();
      const fallen: string[] = [];
      const handler = new QueueHandler(endpoint, { producer: 'p', batchSize: 2, fallback: (batch) => fallen.push(...batch) });
      const logger = new Logger(handler, 'x', 'info');
      endpoint.closed = true;
      logger.info('a');
      logger.info('b');
      assert.equal(fallen.length, 2);
      assert.equal(handler.stats.undeliverable, 2);
      assert.doesNotThrow(() => logger.info('c'));
    });
  });
}
