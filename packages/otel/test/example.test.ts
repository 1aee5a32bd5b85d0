/** The README's example runs for real on Node (packages built first) and writes the ids it promises. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { splitLines } from '@tributary/core/testing';
import { test } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const example = join(import.meta.dirname, '../examples/traced.mjs');

test('the example of the README writes the span ids inside the span and none outside', () => {
  const result = spawnSync(process.execPath, [example], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  const records = splitLines(result.stdout).map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.deepEqual(
    records.map((record) => [record['msg'], record['traceId'], record['spanId'], record['traceFlags']]),
    [
      ['charging card', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 1],
      ['charged', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7', 1],
      ['outside any span', undefined, undefined, undefined],
    ],
  );
});
