import assert from 'node:assert/strict';
import { RecordEncoder, renderValue } from '@tributary/core/adapter';
import type { RedactOptions } from '@tributary/core';
import type { TestApi } from '@tributary/core/testing';
import { parseLine } from './encoder-fixtures.ts';

const SECRET = 'hunter2-SECRET';

function encoderWith(redact: RedactOptions): RecordEncoder {
  return new RecordEncoder({ producer: 'p', pid: 1 }, undefined, redact);
}

/** One record's user fields, parsed back, with the line checked for the secret. */
function fieldsOf(encoder: RecordEncoder, fields: unknown, bound?: unknown): Record<string, unknown> {
  const fragment = bound === undefined ? '' : encoder.fieldsFragment(bound);
  const line = encoder.encode('info', 'login', encoder.quoteName('auth'), 1, fragment, fields);
  assert.ok(!line.includes(SECRET), `the secret leaked: ${line}`);
  return parseLine(line);
}

/** Redaction by path (`redact.paths`): exactly the named places, through every kind of container. */
export default function suite(t: TestApi): void {
  t.describe('record encoder: redaction by path', () => {
    t.test('a path censors that place only: the same name elsewhere is written', () => {
      const record = fieldsOf(encoderWith({ paths: ['user.password', 'db.conn.password'] }), {
        password: 'top-level is not on a path',
        user: { name: 'ann', password: SECRET },
        db: { conn: { host: 'h', password: SECRET }, password: 'db.password is not on a path' },
      });
      assert.equal(record['password'], 'top-level is not on a path');
      assert.deepEqual(record['user'], { name: 'ann', password: '[Redacted]' });
      assert.deepEqual(record['db'], { conn: { host: 'h', password: '[Redacted]' }, password: 'db.password is not on a path' });
    });

    t.test('* stands for any one field name or array index; a path that ends at an object censors all of it', () => {
      const record = fieldsOf(encoderWith({ paths: ['users.*.token', 'sessions.*.token', 'req.headers', '*.apiKey'] }), {
        users: [{ id: 1, token: SECRET }, { id: 2, token: SECRET }, 'not an object'],
        sessions: { a: { token: SECRET, ttl: 5 }, b: { token: SECRET } },
        req: { url: '/login', headers: { cookie: SECRET, accept: 'json' } },
        service: { apiKey: SECRET, name: 'billing' },
        apiKey: 'top level: * needs a field before it',
      });
      assert.deepEqual(record['users'], [{ id: 1, token: '[Redacted]' }, { id: 2, token: '[Redacted]' }, 'not an object']);
      assert.deepEqual(record['sessions'], { a: { token: '[Redacted]', ttl: 5 }, b: { token: '[Redacted]' } });
      assert.deepEqual(record['req'], { url: '/login', headers: '[Redacted]' });
      assert.deepEqual(record['service'], { apiKey: '[Redacted]', name: 'billing' });
      assert.equal(record['apiKey'], 'top level: * needs a field before it');
    });

    t.test('paths compare exactly (case matters), unlike keys', () => {
      const record = fieldsOf(encoderWith({ keys: ['token'], paths: ['user.Password'] }), {
        user: { Password: SECRET, password: 'other case, written', TOKEN: SECRET },
      });
      assert.deepEqual(record['user'], { Password: '[Redacted]', password: 'other case, written', TOKEN: '[Redacted]' });
    });

    t.test('paths go through array indexes, Maps with string keys, Sets, errors, toJSON and bound fields', () => {
      const error = Object.assign(new Error('denied'), { details: { secret: SECRET, code: 7 } });
      const encoder = encoderWith({ paths: ['list.1', 'vault.key', 'tags.0', 'err.details.secret', 'failure.token', 'viaToJSON.token', 'db.password'] });
      const record = fieldsOf(
        encoder,
        {
          list: ['zero', SECRET, 'two'],
          vault: new Map<unknown, unknown>([
            ['key', SECRET],
            ['label', 'main'],
            [1, 'numeric key'],
          ]),
          tags: new Set([SECRET, 'public']),
          failure: Object.assign(new Error('denied'), { token: SECRET }),
          viaToJSON: { toJSON: () => ({ token: SECRET, kept: true }) },
        },
        { db: { host: 'h', password: SECRET } },
      );
      assert.deepEqual(record['list'], ['zero', '[Redacted]', 'two']);
      assert.deepEqual(record['vault'], [
        ['key', '[Redacted]'],
        ['label', 'main'],
        [1, 'numeric key'],
      ]);
      assert.deepEqual(record['tags'], ['[Redacted]', 'public']);
      assert.equal((record['failure'] as Record<string, unknown>)['token'], '[Redacted]');
      assert.equal((record['failure'] as Record<string, unknown>)['message'], 'denied');
      assert.deepEqual(record['viaToJSON'], { token: '[Redacted]', kept: true });
      assert.deepEqual(record['db'], { host: 'h', password: '[Redacted]' });
      // An Error given as the fields is written under "err": paths start there.
      const asError = fieldsOf(encoder, error);
      assert.deepEqual((asError['err'] as Record<string, unknown>)['details'], { secret: '[Redacted]', code: 7 });
    });

    t.test('a censored value is never read (a getter on a path stays untouched), and a custom censor applies', () => {
      let read = 0;
      const record = fieldsOf(encoderWith({ paths: ['creds.secret'], censor: '***' }), {
        creds: {
          get secret(): string {
            read += 1;
            return SECRET;
          },
          user: 'ann',
        },
      });
      assert.equal(read, 0);
      assert.deepEqual(record['creds'], { secret: '***', user: 'ann' });
    });

    t.test("field names remembered from one record do not carry a path's censoring to another place, or lose it", () => {
      const encoder = encoderWith({ paths: ['a.pw'] });
      for (let round = 0; round < 3; round++) {
        const first = fieldsOf(encoder, { pw: 'written', a: { pw: SECRET } });
        assert.equal(first['pw'], 'written');
        assert.deepEqual(first['a'], { pw: '[Redacted]' });
        const swapped = fieldsOf(encoder, { a: { pw: SECRET, other: 1 }, pw: 'written' });
        assert.equal(swapped['pw'], 'written');
        assert.deepEqual(swapped['a'], { pw: '[Redacted]', other: 1 });
      }
    });

    t.test('renderValue takes the same paths, from the value down', () => {
      const encoder = encoderWith({ paths: ['a.pin'] });
      assert.equal(renderValue({ a: { pin: 1234, x: 1 }, pin: 5 }, encoder.limits, encoder.redaction), '{"a":{"pin":"[Redacted]","x":1},"pin":5}');
    });

    t.test('bad paths throw a clear error at configuration time; keys may be left out', () => {
      const make = (redact: unknown) => () => encoderWith(redact as RedactOptions);
      assert.throws(make({ paths: 'user.password' }), /redact\.paths must be an array of dot-separated field paths/);
      assert.throws(make({ paths: ['ok', ''] }), /redact\.paths\[1\] must be a non-empty string/);
      assert.throws(make({ paths: [7] }), /redact\.paths\[0\] must be a non-empty string; got 7/);
      assert.throws(make({ paths: ['user..password'] }), /redact\.paths\[0\] has an empty field name: "user\.\.password"/);
      assert.throws(make({ paths: ['user.'] }), /redact\.paths\[0\] has an empty field name/);
      assert.doesNotThrow(make({ paths: ['user.password'] }));
      assert.equal(encoderWith({ paths: [] }).redaction, undefined, 'no keys and no paths: no redaction');
    });
  });
}
