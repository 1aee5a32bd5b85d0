import assert from 'node:assert/strict';
import { RecordEncoder, renderValue } from '@tributary/core/adapter';
import type { RedactOptions } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';
import { parseLine, field } from './encoder-fixtures.ts';

/** The record encoder: errors and redaction. */
export default function suite(t: TestApi): void {
  t.describe('record encoder: errors', () => {
    t.test('an Error gives name, message, stack; own extra fields follow', () => {
      class HttpError extends Error {
        override readonly name = 'HttpError';
        readonly status = 503;
        readonly nested = { retry: true };
      }
      const error = new HttpError('upstream down');
      const value = field(error) as Record<string, unknown>;
      assert.equal(value['name'], 'HttpError');
      assert.equal(value['message'], 'upstream down');
      assert.match(String(value['stack']), /upstream down/);
      assert.equal(value['status'], 503);
      assert.deepEqual(value['nested'], { retry: true });
      assert.deepEqual(Object.keys(value).slice(0, 3), ['name', 'message', 'stack']);
    });

    t.test('cause chains, recursively, and cyclic causes', () => {
      const root = new Error('root', { cause: { code: 'ECONNRESET' } });
      const middle = new Error('middle', { cause: root });
      const top = new TypeError('top', { cause: middle });
      const value = field(top) as Record<string, any>;
      assert.equal(value['name'], 'TypeError');
      assert.equal(value['cause']['message'], 'middle');
      assert.equal(value['cause']['cause']['message'], 'root');
      assert.deepEqual(value['cause']['cause']['cause'], { code: 'ECONNRESET' });

      const a = new Error('a');
      const b = new Error('b', { cause: a });
      (a as { cause?: unknown }).cause = b;
      const cyclic = field(a) as Record<string, any>;
      assert.equal(cyclic['cause']['message'], 'b');
      assert.equal(cyclic['cause']['cause'], '[Circular]');
      const self = new Error('self');
      (self as { cause?: unknown }).cause = self;
      assert.equal((field(self) as Record<string, unknown>)['cause'], '[Circular]');
      const primitiveCause = new Error('x', { cause: 'just a string' });
      assert.equal((field(primitiveCause) as Record<string, unknown>)['cause'], 'just a string');
    });

    t.test('AggregateError members are rendered under errors', () => {
      const aggregate = new AggregateError([new Error('one'), new RangeError('two'), 'three'], 'several');
      const value = field(aggregate) as Record<string, any>;
      assert.equal(value['name'], 'AggregateError');
      assert.equal(value['message'], 'several');
      assert.equal(value['errors'].length, 3);
      assert.equal(value['errors'][0]['message'], 'one');
      assert.equal(value['errors'][1]['name'], 'RangeError');
      assert.equal(value['errors'][2], 'three');
    });

    t.test('errors with throwing getters, no stack, or a hostile name still render', () => {
      const error = new Error('base');
      Object.defineProperty(error, 'message', {
        get() {
          throw new Error('message getter');
        },
      });
      Object.defineProperty(error, 'extra', {
        enumerable: true,
        get() {
          throw new Error('extra getter');
        },
      });
      const value = field(error) as Record<string, unknown>;
      assert.equal(value['message'], '[Throws: message getter]');
      assert.equal(value['extra'], '[Throws: extra getter]');
      const bare = new Error('no stack');
      delete (bare as { stack?: string }).stack;
      Object.defineProperty(bare, 'stack', { value: undefined });
      assert.equal((field(bare) as Record<string, unknown>)['message'], 'no stack');
      const named = new Error('n');
      (named as { name: unknown }).name = {
        toString: () => {
          throw new Error('no');
        },
      };
      assert.deepEqual((field(named) as Record<string, unknown>)['name'], { toString: '[Function toString]' });
    });

    t.test('an error deep in a structure obeys the depth limit', () => {
      const value = field({ a: { error: new Error('deep') } }, { maxDepth: 3 }) as Record<string, any>;
      assert.equal(value['a']['error'], '[Object]');
    });
  });

  t.describe('record encoder: redaction', () => {
    const SECRET = 'hunter2-SECRET';
    const redactedLine = (fields: unknown, redact: RedactOptions, bound?: unknown): string => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 }, undefined, redact);
      const fragment = bound === undefined ? '' : encoder.fieldsFragment(bound);
      return encoder.encode('info', 'login', encoder.quoteName('auth'), 1, fragment, fields);
    };

    t.test('configured keys are censored at any depth and in any case; the secret never appears in the line', () => {
      class Credentials {
        readonly user = 'ann';
        readonly Password = SECRET;
      }
      const error = Object.assign(new Error('denied'), { token: SECRET });
      const fields = {
        password: SECRET,
        PASSWORD: SECRET,
        user: { name: 'ann', Token: SECRET, deeper: [{ password: SECRET, keep: 1 }] },
        headers: new Map<unknown, unknown>([
          ['Authorization', `Bearer ${SECRET}`],
          ['accept', 'json'],
          [1, 'numeric key'],
        ]),
        creds: new Credentials(),
        err: error,
        viaToJSON: { toJSON: () => ({ token: SECRET }) },
      };
      const line = redactedLine(fields, { keys: ['password', 'token', 'authorization'] });
      assert.ok(!line.includes(SECRET), line);
      const record = parseLine(line);
      assert.equal(record['password'], '[Redacted]');
      assert.equal(record['PASSWORD'], '[Redacted]');
      assert.deepEqual(record['user'], { name: 'ann', Token: '[Redacted]', deeper: [{ password: '[Redacted]', keep: 1 }] });
      assert.deepEqual(record['headers'], [
        ['Authorization', '[Redacted]'],
        ['accept', 'json'],
        [1, 'numeric key'],
      ]);
      assert.deepEqual(record['creds'], { user: 'ann', Password: '[Redacted]' });
      assert.equal((record['err'] as Record<string, unknown>)['token'], '[Redacted]');
      assert.equal((record['err'] as Record<string, unknown>)['message'], 'denied');
      assert.deepEqual(record['viaToJSON'], { token: '[Redacted]' });
    });

    t.test('a custom censor; bound fields; core fields are never censored; a censored getter is never read', () => {
      let read = 0;
      const fields = {
        get secret(): string {
          read += 1;
          return SECRET;
        },
        msg: SECRET,
      };
      const line = redactedLine(fields, { keys: ['secret', 'msg', 'level', 'apiKey'], censor: '***' }, { apikey: SECRET, service: 'api' });
      assert.ok(!line.includes(SECRET), line);
      assert.equal(read, 0);
      const record = parseLine(line);
      assert.equal(record['secret'], '***');
      assert.equal(record['_msg'], '***');
      assert.equal(record['msg'], 'login');
      assert.equal(record['level'], 'info');
      assert.equal(record['apikey'], '***');
      assert.equal(record['service'], 'api');
    });

    t.test('bad redaction options throw a clear error at configuration time', () => {
      const make = (redact: unknown) => () => new RecordEncoder({ producer: 'p', pid: 1 }, undefined, redact as RedactOptions);
      assert.throws(make({ keys: 'password' }), /redact\.keys must be an array of field names/);
      assert.throws(make({ keys: ['ok', ''] }), /redact\.keys\[1\] must be a non-empty string/);
      assert.throws(make({ keys: [42] }), /redact\.keys\[0\] must be a non-empty string; got 42/);
      assert.throws(make({ keys: ['a'], censor: 0 }), /redact\.censor must be a string/);
      assert.throws(make('password'), /redact must be an object/);
      assert.doesNotThrow(make({ keys: [] }));
    });

    t.test('renderValue takes the same redaction', () => {
      const encoder = new RecordEncoder({ producer: 'p', pid: 1 }, undefined, { keys: ['pin'] });
      assert.equal(renderValue({ a: { PIN: 1234 } }, encoder.limits, encoder.redaction), '{"a":{"PIN":"[Redacted]"}}');
    });
  });
}
