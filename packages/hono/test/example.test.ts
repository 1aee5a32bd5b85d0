/** The README's example runs for real on Node (packages built first) and writes the records it promises. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { splitLines } from '@tributary/core/testing';
import { test } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const example = join(import.meta.dirname, '../examples/server.mjs');

test('the example of the README serves a request and logs it with its request id', () => {
  const result = spawnSync(process.execPath, [example], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  const records = splitLines(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    records.map((record) => [record['logger'], record['msg'], record['requestId'], record['path']]),
    [
      ['http', 'saying hello', 'example-1', '/hello'],
      ['db', 'no query needed', 'example-1', '/hello'],
      ['http', 'request completed', 'example-1', '/hello'],
    ],
  );
  assert.equal(records[2]?.['status'], 200);
});
