/**
 * The three runtimes as commands, for Node tests that start real processes on each: Node itself and
 * the deno and bun binaries of the npm devDependencies.
 */
import { join, resolve } from 'node:path';

/** The repository's root. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** A binary installed in the repository's `node_modules/.bin`. */
export function binary(name: string): string {
  return join(repoRoot, 'node_modules', '.bin', name);
}

/** `[name, command, arguments before the script]` for Node, Deno and Bun. */
export const runtimeCommands: readonly (readonly [string, string, readonly string[]])[] = [
  ['node', process.execPath, []],
  ['deno', binary('deno'), ['run', '-A']],
  ['bun', binary('bun'), []],
];
