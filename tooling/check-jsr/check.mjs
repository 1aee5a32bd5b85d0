#!/usr/bin/env node
/**
 * Keeps every package's `jsr.json` (what `deno publish` reads) in step with its `package.json` (what
 * npm reads): same name, version and license, the same export subpaths, and each JSR export pointing
 * at the TypeScript entry point that package.json names under the `@tributary/source` condition.
 *
 *   node tooling/check-jsr/check.mjs           checks; exits 1 with one line per disagreement
 *   node tooling/check-jsr/check.mjs --fix     rewrites each jsr.json from its package.json
 *   node tooling/check-jsr/check.mjs --root D  checks the monorepo at D (tests)
 *   node tooling/check-jsr/check.mjs --dry-run also runs `deno publish --dry-run` in each package
 *                                              (offline: type check, slow types, file list)
 *
 * Run `--fix` after `changeset version` bumps the package.json versions.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const SOURCE_CONDITION = '@tributary/source';
/** Subpaths npm needs but JSR has no use for. */
const NPM_ONLY_SUBPATHS = new Set(['./package.json']);

const { values } = parseArgs({
  options: { fix: { type: 'boolean', default: false }, 'dry-run': { type: 'boolean', default: false }, root: { type: 'string' } },
});
const root = resolve(values.root ?? join(import.meta.dirname, '../..'));
const packagesDir = join(root, 'packages');

/** Finds the `@tributary/source` target of one package.json export entry, however deeply nested. */
function sourceTarget(entry) {
  if (entry === null || typeof entry !== 'object') return undefined;
  if (typeof entry[SOURCE_CONDITION] === 'string') return entry[SOURCE_CONDITION];
  for (const value of Object.values(entry)) {
    const found = sourceTarget(value);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What jsr.json should say, derived from package.json; problems found on the way go to `problems`. */
function expectedJsr(manifest, problems) {
  const exports = {};
  const shorthand =
    typeof manifest.exports === 'string' ||
    (manifest.exports !== null && typeof manifest.exports === 'object' && !Object.keys(manifest.exports).some((key) => key.startsWith('.')));
  const raw = shorthand ? { '.': manifest.exports } : (manifest.exports ?? {});
  for (const [subpath, entry] of Object.entries(raw)) {
    if (NPM_ONLY_SUBPATHS.has(subpath)) continue;
    const target = sourceTarget(entry);
    if (target === undefined) {
      problems.push(
        `package.json export ${JSON.stringify(subpath)} has no "${SOURCE_CONDITION}" condition naming its .ts entry point, so JSR cannot tell what to publish`,
      );
      continue;
    }
    exports[subpath] = target;
  }
  const jsr = { name: manifest.name, version: manifest.version };
  if (manifest.license !== undefined) jsr.license = manifest.license;
  jsr.exports = exports;
  jsr.publish = { include: ['src', 'README.md'], exclude: ['src/**/*.test.ts'] };
  return jsr;
}

/** Compares one package's jsr.json with what its package.json implies; returns the disagreements. */
function comparePackage(dir, manifest, jsr, expected) {
  const problems = [];
  for (const field of ['name', 'version', 'license']) {
    if (jsr[field] !== expected[field]) {
      problems.push(`${field}: jsr.json says ${JSON.stringify(jsr[field])}, package.json says ${JSON.stringify(expected[field])}`);
    }
  }
  const jsrExports = typeof jsr.exports === 'string' ? { '.': jsr.exports } : (jsr.exports ?? {});
  for (const [subpath, target] of Object.entries(expected.exports)) {
    if (!(subpath in jsrExports)) problems.push(`export ${JSON.stringify(subpath)} is in package.json but missing from jsr.json`);
    else if (jsrExports[subpath] !== target) {
      problems.push(
        `export ${JSON.stringify(subpath)}: jsr.json points at ${JSON.stringify(jsrExports[subpath])}, package.json's "${SOURCE_CONDITION}" at ${JSON.stringify(target)}`,
      );
    }
  }
  for (const [subpath, target] of Object.entries(jsrExports)) {
    if (!(subpath in expected.exports)) problems.push(`export ${JSON.stringify(subpath)} is in jsr.json but not in package.json`);
    if (typeof target !== 'string' || !existsSync(join(dir, target)))
      problems.push(`export ${JSON.stringify(subpath)}: file ${JSON.stringify(target)} does not exist`);
    else if (!target.endsWith('.ts')) problems.push(`export ${JSON.stringify(subpath)}: ${JSON.stringify(target)} is not a .ts file`);
  }
  const excluded = jsr.publish?.exclude ?? [];
  if (excluded.some((pattern) => pattern === 'src' || pattern === 'src/' || pattern === 'src/**' || pattern === 'src/**/*.ts')) {
    problems.push('publish.exclude leaves out the sources the exports point at');
  }
  return problems;
}

if (!existsSync(packagesDir)) {
  console.error(`check-jsr: no packages folder at ${packagesDir}`);
  process.exit(1);
}
const failures = [];
let checked = 0;
let fixed = 0;
for (const name of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, name);
  const manifestPath = join(dir, 'package.json');
  if (!existsSync(manifestPath)) continue;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  if (manifest.private === true) continue;
  checked += 1;
  const label = relative(root, dir);
  const derivationProblems = [];
  const expected = expectedJsr(manifest, derivationProblems);
  const jsrPath = join(dir, 'jsr.json');
  if (values.fix && derivationProblems.length === 0) {
    const previous = existsSync(jsrPath) ? JSON.parse(readFileSync(jsrPath, 'utf8')) : {};
    const next = { ...previous, ...expected, publish: previous.publish ?? expected.publish };
    const text = `${JSON.stringify(next, null, 2)}\n`;
    if (!existsSync(jsrPath) || readFileSync(jsrPath, 'utf8') !== text) {
      writeFileSync(jsrPath, text);
      fixed += 1;
    }
  }
  if (!existsSync(jsrPath)) {
    failures.push(`${label}: no jsr.json (run \`node tooling/check-jsr/check.mjs --fix\` to create it from package.json)`);
    continue;
  }
  let jsr;
  try {
    jsr = JSON.parse(readFileSync(jsrPath, 'utf8'));
  } catch (error) {
    failures.push(`${label}/jsr.json: not valid JSON (${error.message})`);
    continue;
  }
  const problems = [...derivationProblems, ...comparePackage(dir, manifest, jsr, expected)];
  for (const problem of problems) failures.push(`${label}/jsr.json: ${problem}`);
  if (values['dry-run'] && problems.length === 0) {
    const deno = join(root, 'node_modules', '.bin', 'deno');
    const result = spawnSync(deno, ['publish', '--dry-run', '--allow-dirty'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (result.status !== 0)
      failures.push(`${label}: deno publish --dry-run failed:\n    ${`${result.stderr}${result.stdout}`.trim().split('\n').join('\n    ')}`);
  }
}

if (values.fix) console.log(`check-jsr: rewrote ${fixed} jsr.json file(s)`);
if (failures.length > 0) {
  console.error(`check-jsr: ${failures.length} problem(s) with the JSR manifests:`);
  for (const failure of failures) console.error(`  ${failure}`);
  console.error('Fix by hand, or run `node tooling/check-jsr/check.mjs --fix` to rewrite jsr.json from package.json.');
  process.exit(1);
}
console.log(`check-jsr: ${checked} packages, jsr.json in step with package.json`);
