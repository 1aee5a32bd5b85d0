import assert from 'node:assert/strict';
import { test } from 'vitest';
import { FieldNames, MAX_CACHED_NAMES, MAX_CACHED_NAME_LENGTH } from '../src/encode/field-names.ts';

test('the cache of quoted field names stays bounded however many distinct names are logged', () => {
  const names = new FieldNames(1_000, new Set(['seq']));
  for (let index = 0; index < 100_000; index++) {
    assert.equal(names.remember(`name${index}`), `,"name${index}":`);
    assert.ok(names.size <= MAX_CACHED_NAMES);
  }
  assert.equal(names.cached('name99999'), ',"name99999":');
  const long = 'x'.repeat(MAX_CACHED_NAME_LENGTH + 1);
  assert.equal(names.remember(long), `,"${long}":`);
  assert.equal(names.cached(long), undefined);
  assert.equal(names.remember('seq'), ',"_seq":');
  assert.equal(names.cached('seq'), ',"_seq":');
});
