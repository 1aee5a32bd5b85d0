/**
 * Runs the real `tributary verify` (the built CLI, `packages/cli/bin/tributary.js`, on Node) on files a
 * test wrote, and returns its exit status and its JSON summary. Imported by path from tests, so the
 * packages the CLI depends on need no dependency on it. Build first (`npm test` does).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './runtimes.ts';

/** The CLI's bin, as npm links it. */
export const TRIBUTARY_BIN: string = join(repoRoot, 'packages', 'cli', 'bin', 'tributary.js');

/** One producer's sequence in the CLI's summary. */
export interface VerifiedSequence {
  readonly producer: string;
  readonly pid?: number;
  readonly records: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly missing: number;
  readonly reportedLost: number;
  readonly reportedUnknown: number;
  readonly unexplained: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly lostUnknownAfterSeq?: number;
}

/** What `tributary verify --json` printed, and its exit status. */
export interface VerifyCliResult {
  /** 0: every record once and in order or its loss reported; 1: not; 2: bad command line or unreadable file. */
  readonly status: number | null;
  readonly ok: boolean;
  readonly lines: number;
  readonly records: number;
  readonly torn: number;
  readonly duplicated: number;
  readonly outOfOrder: number;
  readonly missing: number;
  readonly unreported: number;
  readonly sequences: readonly VerifiedSequence[];
  /** Distinct records per producer id, over all its sequences (pids), `tributary.*` records included. */
  readonly recordsByProducer: ReadonlyMap<string, number>;
  readonly stderr: string;
}

/** The Node binary (the CLI is run on Node even from a Bun or Deno test). */
function nodeBinary(): string {
  const versions = process.versions as Record<string, string | undefined>;
  return versions['bun'] === undefined && versions['deno'] === undefined ? process.execPath : 'node';
}

/** Runs `tributary verify --json [--partial] <files>`; throws when it printed no summary. */
export function runTributaryVerify(files: readonly string[], options: { partial?: boolean } = {}): VerifyCliResult {
  const args = [TRIBUTARY_BIN, 'verify', '--json', ...(options.partial === true ? ['--partial'] : []), ...files];
  const run = spawnSync(nodeBinary(), args, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.stdout === '' || run.stdout === null) {
    throw new Error(`tributary verify printed nothing (status ${run.status}, ${run.error?.message ?? ''}): ${run.stderr}`);
  }
  const summary = JSON.parse(run.stdout) as Omit<VerifyCliResult, 'status' | 'recordsByProducer' | 'stderr'>;
  const recordsByProducer = new Map<string, number>();
  for (const sequence of summary.sequences) recordsByProducer.set(sequence.producer, (recordsByProducer.get(sequence.producer) ?? 0) + sequence.records);
  return { ...summary, status: run.status, recordsByProducer, stderr: run.stderr };
}

/**
 * Runs `tributary verify` and throws unless it passed (exit 0, `ok`, nothing torn, duplicated, out of
 * order or unreported) and, when given, each producer in `records` has exactly that many records.
 * Returns the summary for further checks.
 */
export function expectTributaryVerified(
  files: readonly string[],
  expected: { readonly records?: Readonly<Record<string, number>>; readonly partial?: boolean } = {},
): VerifyCliResult {
  const result = runTributaryVerify(files, expected.partial === undefined ? {} : { partial: expected.partial });
  const problems: string[] = [];
  if (result.status !== 0) problems.push(`exit status ${result.status}`);
  if (!result.ok) problems.push('not ok');
  for (const key of ['torn', 'duplicated', 'outOfOrder', 'unreported'] as const) if (result[key] !== 0) problems.push(`${key} ${result[key]}`);
  for (const [producer, count] of Object.entries(expected.records ?? {})) {
    const found = result.recordsByProducer.get(producer) ?? 0;
    if (found !== count) problems.push(`${producer}: ${found} records, expected ${count}`);
  }
  if (problems.length > 0) {
    const rows = result.sequences.map(
      (s) => `${s.producer}/${s.pid ?? '-'}: ${s.records} records, seq ${s.firstSeq}-${s.lastSeq}, unexplained ${s.unexplained}`,
    );
    throw new Error(`tributary verify ${files.join(' ')}: ${problems.join('; ')}\n${rows.join('\n')}\n${result.stderr}`);
  }
  return result;
}

/**
 * {@link expectTributaryVerified} for an output held in memory (a memory sink's lines): writes them
 * to a temporary file, as a file sink would, and runs the CLI on it.
 */
export function expectTributaryVerifiedLines(
  lines: readonly string[],
  expected: { readonly records?: Readonly<Record<string, number>>; readonly partial?: boolean } = {},
): VerifyCliResult {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-verify-'));
  try {
    const file = join(dir, 'output.log');
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
    return expectTributaryVerified([file], expected);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
