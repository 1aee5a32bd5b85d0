import assert from 'node:assert/strict';
import type { TestApi } from './test-api.ts';
import { splitLines } from './verify.ts';

/** How to run {@link runUnconnectedWorkerCases} for one worker adapter. */
export interface UnconnectedWorkerCases {
  /** The adapter's package, for test names. */
  readonly name: string;
  /** How the worker ends, one test each (`process.exit()`, `self.close()`, …), with the name the test shows. */
  readonly endings: readonly string[];
  /** Records the worker logs before it ends. */
  readonly records: number;
  /**
   * Runs, in a process of the adapter's runtime, a plain worker (not started by the adapter) whose
   * `workerLogger({ name: 'pool' })` logs `records` records (`record <n>`, field `n`), then ends the
   * way `ending` says; returns that process's standard error.
   */
  run(ending: string): string;
  /** Per-test timeout in milliseconds. Default: 90,000. */
  readonly timeout?: number;
}

/**
 * A worker whose logger never got its ring (a pool's thread, say) must not lose its records without
 * a word when it ends: each ending writes every record, in order, to standard error, then one warn
 * note with the count.
 */
export function runUnconnectedWorkerCases(t: TestApi, cases: UnconnectedWorkerCases): void {
  t.describe(`${cases.name}: a worker never connected`, () => {
    for (const ending of cases.endings) {
      t.test(
        `ending with ${ending}: every record and a note with the count on stderr`,
        () => {
          const lines = splitLines(cases.run(ending)).map((line) => JSON.parse(line) as Record<string, unknown>);
          assert.equal(lines.length, cases.records + 1, 'every record and the note');
          const records = lines.slice(0, cases.records);
          assert.deepEqual(
            records.map((record) => record['n']),
            Array.from({ length: cases.records }, (_, index) => index + 1),
          );
          assert.ok(records.every((record) => record['logger'] === 'pool'));
          assert.equal(lines[cases.records]?.['level'], 'warn');
          assert.equal(lines[cases.records]?.['writtenToStderr'], cases.records);
        },
        cases.timeout ?? 90_000,
      );
    }
  });
}
