#!/usr/bin/env node
/**
 * The published packages as a user gets them, checked from outside the workspace:
 *  - `npm pack` of every package under packages/ (the tarball holds its README, dist and, when the
 *    package has them, its examples);
 *  - `npm publish --dry-run` of each, and `deno publish --dry-run` of each (its jsr.json: JSR's
 *    type check and slow-type rules);
 *  - `@arethetypeswrong/cli` on each tarball (ESM-only profile: the packages ship no CommonJS);
 *  - a consumer project that installs every tarball (no registry, no workspace links), type-checks an
 *    import of every entry point as its README says (`lib: ES2022 + ESNext.Disposable`; no
 *    `@types/node` except for the Node-only packages; `deno check` for the Deno package), and runs
 *    every package's examples, copied out of `node_modules`, on the runtimes their READMEs name.
 * Prints one line per step and closes with `packages: N passed, N failed`; exits non-zero on any failure.
 *
 * Options: --no-build (dist is already built), --keep (leave the temporary directory).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runQuiet as run, stepList } from '../test-runner/steps.mjs';

const root = resolve(import.meta.dirname, '../..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const keep = process.argv.includes('--keep');
const { step, abort, finish } = stepList();

/**
 * Every example a README shows, as `[package dir, example file, runtimes, arguments]`. Peer
 * dependencies and the examples' own extra imports come from the repository's node_modules.
 */
const EXAMPLES = [
  ['sink-stdout', 'basic.mjs', ['node', 'deno', 'bun'], ['json', '100']],
  ['sink-file', 'basic.mjs', ['node', 'deno', 'bun'], ['{out}/file/app.log']],
  ['sink-rotating-file', 'rotate.mjs', ['node', 'deno', 'bun'], ['{out}/rotating']],
  ['node-child-process', 'parent.mjs', ['node'], ['sync']],
  ['local-socket', 'cluster.mjs', ['node'], []],
  ['deno-worker', 'main.ts', ['deno'], ['{out}/deno-worker.log']],
  ['bun-worker', 'main.ts', ['bun'], ['{out}/bun-worker.log']],
  ['pretty', 'basic.mjs', ['node', 'deno', 'bun'], []],
  ['cli', 'app.mjs', ['node'], []],
  ['hono', 'server.mjs', ['node'], []],
  ['otel', 'traced.mjs', ['node', 'deno', 'bun'], []],
];

/** Peers and example-only imports, linked from the repository (no registry). */
const LINKED = ['hono', '@hono/node-server', '@opentelemetry/api', '@opentelemetry/context-async-hooks'];

/** What a package's types need (its README says so): nothing (the default), @types/node, or Deno's types. */
const TYPES = { 'node-worker': 'node', 'node-child-process': 'node', 'sink-socket': 'node', hono: 'node', cli: 'node', 'deno-worker': 'deno' };

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true);

const work = mkdtempSync(join(tmpdir(), 'tributary-packages-'));
try {
  console.log(`packages: ${packages.length} packed into ${work}`);
  if (!process.argv.includes('--no-build')) {
    const build = run(bin('turbo'), ['run', 'build', '--output-logs=errors-only'], root);
    if (!step('build', build, build.status === 0)) throw new Error('build failed');
  }
  const tarballs = [];
  for (const { dir, manifest } of packages) {
    const cwd = join(root, 'packages', dir);
    const pack = run('npm', ['pack', '--json', '--pack-destination', work], cwd);
    let files = [];
    let tarball = '';
    try {
      const [packed] = JSON.parse(pack.stdout);
      files = packed.files.map((file) => file.path);
      tarball = join(work, packed.filename);
    } catch {}
    const wanted = ['README.md', 'package.json', ...exportedFiles(manifest)];
    if (existsSync(join(cwd, 'examples'))) wanted.push(...readdirSync(join(cwd, 'examples')).map((file) => `examples/${file}`));
    const missing = wanted.filter((file) => !files.includes(file));
    step(
      `npm pack ${manifest.name}: ${files.length} files`,
      { ...pack, stdout: `missing from the tarball: ${missing.join(', ')}\n${pack.stderr}` },
      pack.status === 0 && missing.length === 0,
    );
    if (tarball !== '') tarballs.push(tarball);
    const dryRun = run('npm', ['publish', '--dry-run'], cwd);
    step(`npm publish --dry-run ${manifest.name}`, dryRun, dryRun.status === 0);
    if (existsSync(join(cwd, 'jsr.json'))) {
      const jsr = run(bin('deno'), ['publish', '--dry-run', '--allow-dirty'], cwd);
      step(`deno publish --dry-run ${manifest.name}`, jsr, jsr.status === 0);
    }
    const attw = run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], work);
    step(`attw ${manifest.name}`, attw, attw.status === 0);
  }

  const consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  const install = run(
    'npm',
    ['install', '--offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...tarballs],
    consumer,
  );
  if (!step(`npm install the ${tarballs.length} tarballs into a new project`, install, install.status === 0)) throw new Error('install failed');
  for (const name of LINKED) linkFromRepository(consumer, name);

  // An import of every entry point, type-checked the way its README says: with no Node types,
  // with @types/node (the Node-only packages), or by `deno check` (the Deno package).
  for (const types of ['none', 'node', 'deno']) {
    const chosen = packages.filter(({ dir }) => (TYPES[dir] ?? 'none') === types);
    const entries = chosen.flatMap(({ manifest }) =>
      Object.keys(manifest.exports ?? {})
        .filter((key) => key !== './package.json')
        .map((key) => `${manifest.name}${key.slice(1)}`),
    );
    if (entries.length === 0) continue;
    const file = `check-${types}.ts`;
    writeFileSync(
      join(consumer, file),
      `${entries.map((entry, index) => `import * as entry${index} from '${entry}';`).join('\n')}\nexport const all = [${entries.map((_, index) => `entry${index}`).join(', ')}];\n`,
    );
    let result;
    if (types === 'deno') result = run(bin('deno'), ['check', file], consumer);
    else {
      if (types === 'node') linkFromRepository(consumer, '@types/node');
      const config = `tsconfig-${types}.json`;
      writeFileSync(join(consumer, config), `${JSON.stringify(typeScriptConfig(file, types === 'node' ? ['node'] : []), null, 2)}\n`);
      result = run(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], consumer);
    }
    const how = { none: 'tsc, no @types/node', node: 'tsc with @types/node', deno: 'deno check' }[types];
    step(`typecheck ${chosen.map(({ dir }) => dir).join(', ')} (${how})`, result, result.status === 0);
  }

  const out = join(work, 'out');
  mkdirSync(out);
  // Each example copied out of the installed package, as a user would: it imports the packages by
  // name, which resolve to the installed tarballs (Deno strips no types under node_modules).
  for (const [dir, file, runtimes, args] of EXAMPLES) {
    const copy = join(consumer, 'examples', dir);
    cpSync(join(consumer, 'node_modules', '@tributary', dir, 'examples'), copy, { recursive: true });
    for (const runtime of runtimes) {
      const command = runtime === 'node' ? process.execPath : bin(runtime);
      const runtimeArgs = runtime === 'deno' ? ['run', '-A'] : [];
      const exampleArgs = args.map((arg) => arg.replace('{out}', join(out, runtime)));
      const result = run(command, [...runtimeArgs, join(copy, file), ...exampleArgs], consumer);
      step(`${runtime} examples/${file} of @tributary/${dir}`, result, result.status === 0);
    }
  }
} catch (error) {
  abort(error);
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
process.exit(finish('packages'));

/** The compiler options a user of the packages has: strict, ES2022 with ESNext.Disposable, `types`. */
function typeScriptConfig(file, types) {
  return {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'ESNext.Disposable'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      types,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files: [file],
  };
}

/** Links a package of the repository's own node_modules into the consumer (no registry). */
function linkFromRepository(consumer, name) {
  const target = join(consumer, 'node_modules', name);
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(join(root, 'node_modules', name), target, 'dir');
}

/** The files a package's `exports` point at (types and default conditions). */
function exportedFiles(manifest) {
  const files = [];
  for (const target of Object.values(manifest.exports ?? {})) {
    if (typeof target === 'string') files.push(target.replace(/^\.\//, ''));
    else for (const [condition, path] of Object.entries(target)) if (condition === 'types' || condition === 'default') files.push(path.replace(/^\.\//, ''));
  }
  return files.filter((file) => file !== 'package.json');
}
