/**
 * The README's example runs for real under bun (the binary from the npm devDependencies, packages
 * built first): four workers, 10,000 records each, one file, every line checked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { test } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const example = join(import.meta.dirname, '../examples/main.ts');

test('the example of the README runs under bun and writes every record once, in order', () => {
  const folder = mkdtempSync(join(tmpdir(), 'tributary-bun-worker-example-'));
  try {
    const path = join(folder, 'app.log');
    const result = spawnSync(join(root, 'node_modules/.bin/bun'), [example, path], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /40000 records written, 0 lost/);
    const check = checkOutput(splitLines(readFileSync(path, 'utf8')));
    const workers = [...check.producers.entries()].filter(([producer]) => producer !== 'listener');
    assert.equal(workers.length, 4);
    for (const [producer, found] of workers)
      assert.deepEqual({ producer, count: found.count, gaps: found.missing + found.duplicated + found.outOfOrder }, { producer, count: 10_000, gaps: 0 });
    assert.equal(check.torn, 0);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
