/**
 * A small test runner for the runtime-neutral suites, so the same tests run for real under Deno and
 * Bun (and Node). Each `packages/<pkg>/test/runtime/<name>.suite.ts` default-exports
 * `(t: TestApi) => void`; vitest runs the same file through `<name>.test.ts`.
 *
 *   deno run -A tooling/runtime-tests/run.ts [filter]
 *   bun tooling/runtime-tests/run.ts [filter]
 *   bun tooling/runtime-tests/run.ts --suites=<dir> [filter]   (the *.suite.ts files of one directory,
 *     e.g. a package outside the workspace: run it with that package as the working directory)
 *
 * Packages are imported by name and resolve to their built `dist` (run `npm run build` first).
 * Prints one line per test and ends with `<runtime>: N passed, N failed`; exits 1 on any failure.
 */
import { readdirSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

interface TestCase {
  readonly name: string;
  readonly body: () => Promise<void> | void;
  readonly timeout: number;
}

declare const Deno: { version: { deno: string } } | undefined;
declare const Bun: { version: string } | undefined;

const runtime = typeof Deno !== 'undefined' ? `deno ${Deno.version.deno}` : typeof Bun !== 'undefined' ? `bun ${Bun.version}` : `node ${process.version}`;
const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');
const args = process.argv.slice(2);
const suitesDir = args.find((arg) => arg.startsWith('--suites='))?.slice('--suites='.length);
const filter = args.find((arg) => !arg.startsWith('--')) ?? '';

const cases: TestCase[] = [];
const prefix: string[] = [];
const api = {
  describe(name: string, body: () => void): void {
    prefix.push(name);
    try {
      body();
    } finally {
      prefix.pop();
    }
  },
  test(name: string, body: () => Promise<void> | void, timeout = 60_000): void {
    cases.push({ name: [...prefix, name].join(' > '), body, timeout });
  },
};

const suiteFiles: string[] = [];
/** `[directory, prefix the filter sees]`: each package's test/runtime, or the one `--suites` directory. */
const suiteDirs: [string, string][] =
  suitesDir !== undefined
    ? [[resolve(suitesDir), '']]
    : readdirSync(join(root, 'packages'))
        .sort()
        .map((pkg) => [join(root, 'packages', pkg, 'test', 'runtime'), `${pkg}/`]);
for (const [dir, shownAs] of suiteDirs) {
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir).sort()) {
    if (file.endsWith('.suite.ts') && `${shownAs}${file}`.includes(filter)) suiteFiles.push(join(dir, file));
  }
}
for (const file of suiteFiles) {
  const module = (await import(pathToFileURL(file).href)) as { default: (t: typeof api) => void };
  api.describe(relative(suitesDir ?? root, file), () => module.default(api));
}

let passed = 0;
let failed = 0;
const started = Date.now();
for (const testCase of cases) {
  const begin = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(testCase.body),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${testCase.timeout} ms`)), testCase.timeout);
      }),
    ]);
    passed += 1;
    console.log(`  ✓ ${testCase.name} (${Date.now() - begin} ms)`);
  } catch (error) {
    failed += 1;
    console.log(
      `  ✗ ${testCase.name}\n    ${String((error as Error)?.stack ?? error)
        .split('\n')
        .join('\n    ')}`,
    );
  } finally {
    clearTimeout(timer);
  }
}
console.log(`\n${runtime}: ${suiteFiles.length} suite files, ${cases.length} tests in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${runtime.split(' ')[0]}: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
