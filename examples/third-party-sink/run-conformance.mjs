#!/usr/bin/env node
/**
 * Proves the sink kit from outside the workspace (and that docs/writing-a-sink.md shows this sink as
 * it is): packs @tributary/core (`npm pack`), installs the
 * tarball into a temporary copy of this example (no registry), type-checks it against the packed
 * types and runs its tests — the sink conformance suite included — on Node (vitest), Deno and Bun
 * (the repository's runtime-test runner). Prints one line per step and closes with
 * `third-party sink: N passed, N failed`; exits non-zero on any failure.
 *
 * Options: --no-build (core's dist is already built), --keep (leave the temporary directory).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runQuiet as run, stepList } from '../../tooling/test-runner/steps.mjs';

const here = import.meta.dirname;
const root = resolve(here, '../..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const keep = process.argv.includes('--keep');
const { step, abort, finish } = stepList();

const work = mkdtempSync(join(tmpdir(), 'tributary-third-party-sink-'));
try {
  console.log(`third-party sink: packed @tributary/core, example in ${work}`);
  const guide = readFileSync(join(root, 'docs', 'writing-a-sink.md'), 'utf8');
  const shown = guide.includes(`\`\`\`ts\n${readFileSync(join(here, 'src', 'index.ts'), 'utf8')}\`\`\``);
  step('docs/writing-a-sink.md shows src/index.ts as it is', { stdout: "the guide's code block differs from src/index.ts: copy the file into it" }, shown);
  if (!process.argv.includes('--no-build')) {
    const build = run(bin('turbo'), ['run', 'build', '--filter=@tributary/core', '--output-logs=errors-only'], root);
    if (!step('build @tributary/core', build, build.status === 0)) throw new Error('build failed');
  }
  const pack = run('npm', ['pack', '--json', '--pack-destination', work], join(root, 'packages', 'core'));
  const tarball = pack.status === 0 ? join(work, JSON.parse(pack.stdout)[0].filename) : '';
  if (!step('npm pack packages/core', pack, pack.status === 0, tarball.slice(work.length + 1))) throw new Error('pack failed');

  const example = join(work, 'example');
  for (const entry of ['package.json', 'tsconfig.json', 'src', 'test']) cpSync(join(here, entry), join(example, entry), { recursive: true });
  // Only the packed core comes from an install; the test tools are the repository's own (no registry).
  const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8'));
  const devTools = Object.keys(manifest.devDependencies ?? {}).filter((name) => name !== '@tributary/core');
  delete manifest.devDependencies;
  writeFileSync(join(example, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const install = run('npm', ['install', '--no-save', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', tarball], example);
  if (!step('npm install the tarball', install, install.status === 0)) throw new Error('install failed');
  for (const name of devTools) {
    mkdirSync(dirname(join(example, 'node_modules', name)), { recursive: true });
    symlinkSync(join(root, 'node_modules', name), join(example, 'node_modules', name), 'dir');
  }

  const typecheck = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], example);
  step('typecheck against the packed types', typecheck, typecheck.status === 0);

  const report = join(work, 'vitest.json');
  const node = run(bin('vitest'), ['run', '--root', example, '--reporter=json', `--outputFile=${report}`], example);
  let nodeCounts = { passed: 0, failed: 1 };
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    nodeCounts = { passed: json.numPassedTests, failed: json.numFailedTests };
  } catch {}
  step(
    `node ${process.version} (vitest)`,
    node,
    node.status === 0 && nodeCounts.failed === 0 && nodeCounts.passed > 0,
    `${nodeCounts.passed} passed, ${nodeCounts.failed} failed`,
  );

  const runner = join(root, 'tooling', 'runtime-tests', 'run.ts');
  for (const [runtime, args] of [
    ['deno', ['run', '-A', runner]],
    ['bun', [runner]],
  ]) {
    const result = run(bin(runtime), [...args, `--suites=${join(example, 'test')}`], example);
    const match = /(\d+) passed, (\d+) failed\s*$/.exec(result.stdout ?? '');
    const [passed, failed] = match ? [Number(match[1]), Number(match[2])] : [0, 1];
    step(runtime, result, result.status === 0 && match !== null && failed === 0 && passed > 0, `${passed} passed, ${failed} failed`);
  }
} catch (error) {
  abort(error);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
process.exit(finish('third-party sink'));
