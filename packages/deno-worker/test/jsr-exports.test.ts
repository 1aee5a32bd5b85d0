/**
 * The JSR manifests (packages/*\/jsr.json) stay in step with package.json: runs
 * tooling/check-jsr/check.mjs on the real repository, and on a small broken copy to prove it fails.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, test } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const script = join(root, 'tooling/check-jsr/check.mjs');
const runCheck = (...args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

const scratch = mkdtempSync(join(tmpdir(), 'tributary-check-jsr-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A one-package monorepo whose package.json has a root and a `./testing` export. */
function makeRepo(name: string, jsr: unknown): string {
  const dir = join(scratch, name);
  mkdirSync(join(dir, 'packages/a/src/testing'), { recursive: true });
  writeFileSync(join(dir, 'packages/a/src/index.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'packages/a/src/testing/index.ts'), 'export const b = 2;\n');
  const entry = (path: string) => ({ types: `./dist/${path}.d.ts`, '@tributary/source': `./src/${path}.ts`, default: `./dist/${path}.js` });
  const manifest = {
    name: '@tributary/a',
    version: '1.2.3',
    license: 'MIT',
    exports: { '.': entry('index'), './testing': entry('testing/index'), './package.json': './package.json' },
  };
  writeFileSync(join(dir, 'packages/a/package.json'), JSON.stringify(manifest));
  if (jsr !== undefined) writeFileSync(join(dir, 'packages/a/jsr.json'), JSON.stringify(jsr));
  return dir;
}

describe('jsr.json stays in step with package.json', () => {
  test('every package of this repository passes the check', () => {
    const result = runCheck();
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /check-jsr: \d+ packages, jsr\.json in step with package\.json/);
  });

  test('a stale version, a missing subpath, an extra subpath and a wrong target each fail, with a clear line', () => {
    const repo = makeRepo('broken', {
      name: '@tributary/a',
      version: '1.2.2',
      license: 'MIT',
      exports: { '.': './src/main.ts', './extra': './src/index.ts' },
    });
    const result = runCheck('--root', repo);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /version: jsr\.json says "1\.2\.2", package\.json says "1\.2\.3"/);
    assert.match(result.stderr, /export "\.\/testing" is in package\.json but missing from jsr\.json/);
    assert.match(result.stderr, /export "\.\/extra" is in jsr\.json but not in package\.json/);
    assert.match(result.stderr, /export "\.": jsr\.json points at "\.\/src\/main\.ts", package\.json's "@tributary\/source" at "\.\/src\/index\.ts"/);
    assert.match(result.stderr, /file "\.\/src\/main\.ts" does not exist/);
  });

  test('a package without jsr.json fails; --fix writes one that passes', () => {
    const repo = makeRepo('missing', undefined);
    const before = runCheck('--root', repo);
    assert.equal(before.status, 1);
    assert.match(before.stderr, /packages\/a: no jsr\.json/);
    const fixed = runCheck('--root', repo, '--fix');
    assert.equal(fixed.status, 0, fixed.stderr);
    const jsr = JSON.parse(readFileSync(join(repo, 'packages/a/jsr.json'), 'utf8'));
    assert.deepEqual(jsr.exports, { '.': './src/index.ts', './testing': './src/testing/index.ts' });
    assert.equal(jsr.version, '1.2.3');
    assert.equal(runCheck('--root', repo).status, 0);
  });
});
