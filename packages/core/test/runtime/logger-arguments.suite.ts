import assert from 'node:assert/strict';
import type { TestApi } from '@tributary/core/testing';
import { setup } from './logger-fixtures.ts';

/** What a log call makes of its arguments: messages that are not strings, pino's order, a lone object. */
export default function suite(t: TestApi): void {
  t.describe('logger arguments', () => {
    t.test('a non-string message: Error, object, Symbol', async () => {
      const { logger, listener, records } = setup();
      const error = new RangeError('out of range', { cause: new Error('inner') });
      logger.error(error);
      logger.error(error, { request: 7 });
      logger.info({ plain: true } as never);
      logger.info({ plain: true } as never, { extra: 1 });
      logger.info(Symbol('sym') as never);
      logger.warn('an Error given as the fields', new Error('as fields') as never);
      const [first, second, third, fourth, fifth, sixth] = await records();
      assert.equal((sixth?.['err'] as Record<string, unknown>)['message'], 'as fields');
      assert.equal(sixth?.['msg'], 'an Error given as the fields');
      assert.equal(first?.['msg'], 'out of range');
      assert.equal((first?.['err'] as Record<string, unknown>)['name'], 'RangeError');
      assert.equal(((first?.['err'] as Record<string, unknown>)['cause'] as Record<string, unknown>)['message'], 'inner');
      assert.equal(second?.['request'], 7);
      assert.equal((second?.['err'] as Record<string, unknown>)['message'], 'out of range');
      assert.equal(third?.['msg'], '');
      assert.equal(third?.['plain'], true);
      assert.equal(fourth?.['msg'], '', 'two objects: both give fields');
      assert.equal(fourth?.['plain'], true);
      assert.equal(fourth?.['extra'], 1);
      assert.equal(fifth?.['msg'], 'Symbol(sym)');
      await listener.stop();
    });

    t.test("pino's argument order: fields first, message second, gives the same record as the other order", async () => {
      const { logger, listener, lines } = setup({ name: 'http', level: 'trace' });
      const failure = new TypeError('socket hang up', { cause: new Error('ECONNRESET') });
      const calls: [string, () => void, () => void][] = [
        ['info', () => logger.info('listening', { port: 8080 }), () => logger.info({ port: 8080 }, 'listening')],
        ['trace', () => logger.trace('t', { n: 1 }), () => logger.trace({ n: 1 }, 't')],
        ['debug', () => logger.debug('d', { n: 2 }), () => logger.debug({ n: 2 }, 'd')],
        ['warn', () => logger.warn('w', { n: 3 }), () => logger.warn({ n: 3 }, 'w')],
        ['error', () => logger.error('failed', { err: failure }), () => logger.error({ err: failure }, 'failed')],
        ['fatal', () => logger.fatal('down', { err: failure, code: 3 }), () => logger.fatal({ err: failure, code: 3 }, 'down')],
        ['log', () => logger.log('warn', 'by name', { n: 4 }), () => logger.log('warn', { n: 4 }, 'by name')],
      ];
      for (const [, messageFirst, fieldsFirst] of calls) {
        messageFirst();
        fieldsFirst();
      }
      assert.equal(await logger.flush(), true);
      const written = lines();
      assert.equal(written.length, calls.length * 2);
      /** The line without the two fields that differ between any two records: time and seq. */
      const comparable = (line: string): string => line.replace(/"time":"[^"]*",/, '').replace(/"seq":\d+,/, '');
      for (let index = 0; index < calls.length; index += 1) {
        const messageFirst = written[index * 2] as string;
        const fieldsFirst = written[index * 2 + 1] as string;
        assert.equal(comparable(fieldsFirst), comparable(messageFirst), `${calls[index]?.[0]}: both orders encode the same line`);
      }
      const info = JSON.parse(written[1] as string) as Record<string, unknown>;
      assert.equal(info['msg'], 'listening');
      assert.equal(info['port'], 8080);
      const error = JSON.parse(written[9] as string) as Record<string, any>;
      assert.equal(error['msg'], 'failed');
      assert.equal(error['err']['name'], 'TypeError');
      assert.equal(error['err']['message'], 'socket hang up');
      assert.match(error['err']['stack'], /socket hang up/);
      assert.equal(error['err']['cause']['message'], 'ECONNRESET');
      await listener.stop();
    });

    t.test('a lone object gives fields with an empty msg; an Error first keeps its text as msg unless a string follows', async () => {
      const { logger, listener, records } = setup();
      const failure = new Error('boom');
      logger.info({ port: 8080 });
      logger.error(failure);
      logger.error(failure, { request: 7 });
      logger.error(failure, 'request failed');
      logger.info({ port: 8080 }, undefined);
      const [lone, errorOnly, errorFields, errorMessage, loneUndefined] = await records();
      assert.equal(lone?.['msg'], '');
      assert.equal(lone?.['port'], 8080);
      assert.equal(errorOnly?.['msg'], 'boom');
      assert.equal((errorOnly?.['err'] as Record<string, unknown>)['message'], 'boom');
      assert.equal(errorFields?.['msg'], 'boom');
      assert.equal(errorFields?.['request'], 7);
      assert.equal(errorMessage?.['msg'], 'request failed');
      assert.equal((errorMessage?.['err'] as Record<string, unknown>)['message'], 'boom');
      assert.equal(loneUndefined?.['msg'], '');
      assert.equal(loneUndefined?.['port'], 8080);
      await listener.stop();
    });
  });
}
