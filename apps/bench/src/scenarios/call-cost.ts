/**
 * `call-cost`: what one log call costs on the calling thread, Tributary next to pino (and LogTape
 * for disabled calls) in the same process and the same round: a disabled call (`debug` with the
 * level at `info`), an enabled call, the same inside a request context (Tributary's `withContext`,
 * pino's `mixin` reading an `AsyncLocalStorage`) and through a child logger with the request's
 * fields. Every logger writes JSON lines to its own file; each file is read back and counted.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';
import { type CallFields, type CallKind, type MeasuredLogger, REQUEST_FIELDS, logtapeLogger, pinoLogger, tributaryLogger } from './call-cost-loggers.ts';

interface Row {
  readonly tool: string;
  readonly kind: CallKind;
  readonly create: (path: string) => MeasuredLogger | Promise<MeasuredLogger>;
  readonly comparedWith?: string;
}

const ROWS: readonly Row[] = [
  { tool: 'tributary-disabled', kind: 'disabled', create: (path) => tributaryLogger('disabled', path), comparedWith: 'pino-disabled' },
  { tool: 'pino-disabled', kind: 'disabled', create: (path) => pinoLogger('disabled', path) },
  { tool: 'logtape-disabled', kind: 'disabled', create: (path) => logtapeLogger(path) },
  { tool: 'tributary', kind: 'enabled', create: (path) => tributaryLogger('enabled', path), comparedWith: 'pino' },
  { tool: 'pino', kind: 'enabled', create: (path) => pinoLogger('enabled', path) },
  { tool: 'tributary-context', kind: 'context', create: (path) => tributaryLogger('context', path), comparedWith: 'pino-mixin' },
  { tool: 'pino-mixin', kind: 'context', create: (path) => pinoLogger('context', path) },
  { tool: 'tributary-child', kind: 'child', create: (path) => tributaryLogger('child', path), comparedWith: 'pino-child' },
  { tool: 'pino-child', kind: 'child', create: (path) => pinoLogger('child', path) },
];

/** Disabled calls are made this many times as often as enabled ones: each costs a few ns. */
const DISABLED_CALLS_PER_RECORD = 10;
/** Calls between two yields to the event loop (where the file writers do their work). */
const CHUNK_CALLS = 1_000;
/** Untimed calls per row before the clock starts, so that each row's code is compiled. */
const WARMUP_CALLS = 20_000;

let roundsRun = 0;

export const callCost: Scenario = {
  name: 'call-cost',
  description: `ns per log call, in this thread, to a file: disabled (debug at info, ${DISABLED_CALLS_PER_RECORD}× the records), enabled, inside a request context, through a child logger; Tributary, pino, LogTape`,
  defaults: { records: 200_000, producers: 1 },
  async run(options) {
    const selected = options.tools.length === 0 ? ROWS : ROWS.filter((row) => options.tools.includes(row.tool));
    // Odd rounds run the rows in order, even rounds in reverse, so neither side always goes first.
    const ordered = roundsRun++ % 2 === 0 ? selected : [...selected].reverse();
    const results: BenchResult[] = [];
    for (const row of ordered) results.push(await measure(row, options));
    return ROWS.flatMap((row) => results.filter((result) => result.tool === row.tool));
  },
};

async function measure(row: Row, options: ScenarioOptions): Promise<BenchResult> {
  const path = join(options.outDir, `${row.tool}.log`);
  rmSync(path, { force: true }); // every logger here appends: start from an empty file
  const multiplier = row.kind === 'disabled' ? DISABLED_CALLS_PER_RECORD : 1;
  const warmup = Math.min(WARMUP_CALLS, options.records) * multiplier;
  const calls = options.records * multiplier;
  const logger = await row.create(path);
  let callMs = 0;
  let started = 0;
  let cpuStart = process.cpuUsage();
  await logger.around(async () => {
    await loop(logger, 1, warmup);
    started = performance.now();
    cpuStart = process.cpuUsage();
    callMs = await loop(logger, warmup + 1, warmup + calls);
    logger.marker(warmup + calls);
  });
  await logger.end();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const check = checkCallOutput(readFileSync(path, 'utf8'), row.kind, warmup + calls);
  const cpuNsPerCall = ((cpu.user + cpu.system) * 1000) / calls;
  const disabledNote = row.kind === 'disabled' ? `${calls.toLocaleString('en-US')} disabled calls, ${check.written} written; ` : '';
  return {
    scenario: 'call-cost',
    tool: row.tool,
    records: calls,
    // Disabled rows: every call is accounted for when none was written and the marker is there.
    verified: row.kind === 'disabled' ? (check.markers === 1 ? calls - check.written : 0) : Math.max(0, check.distinct - warmup),
    lost: row.kind === 'disabled' ? (check.markers === 1 ? 0 : calls) : warmup + calls - check.distinct,
    torn: check.torn + check.missingContext + (row.kind === 'disabled' ? check.written : 0),
    seconds,
    nsPerCall: (callMs * 1e6) / calls,
    peakRssMiB: process.memoryUsage().rss / 1024 / 1024,
    note: `${disabledNote}CPU ${cpuNsPerCall.toFixed(0)} ns per call with the writer's work${check.duplicated > 0 ? `; ${check.duplicated} duplicated` : ''}${check.missingContext > 0 ? `; ${check.missingContext} without the request's fields` : ''}`,
    ...(row.comparedWith === undefined ? {} : { comparedWith: row.comparedWith }),
  };
}

/**
 * Calls `logger.call` for n = first…last in chunks of {@link CHUNK_CALLS}, yielding to the event
 * loop after each (so the file writers run, as they would between requests), and returns the
 * milliseconds spent inside the chunks: the calls' own cost, not the writers' work in between.
 */
async function loop(logger: MeasuredLogger, first: number, last: number): Promise<number> {
  let callMs = 0;
  for (let start = first; start <= last; start += CHUNK_CALLS) {
    const end = Math.min(last, start + CHUNK_CALLS - 1);
    const chunkStarted = performance.now();
    for (let n = start; n <= end; n++) {
      const fields: CallFields = { n, user: 'alice', path: '/api/items', status: 200 };
      logger.call(fields);
    }
    callMs += performance.now() - chunkStarted;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return callMs;
}

/** What one logger's file holds. */
export interface CallOutputCheck {
  /** Distinct `n` in 1…expected among the measured records. */
  readonly distinct: number;
  readonly duplicated: number;
  /** Lines that are not one JSON object. */
  readonly torn: number;
  /** Measured records found (for a disabled row every one is wrong). */
  readonly written: number;
  /** Records of the measured kind that lack the request's fields (context and child rows). */
  readonly missingContext: number;
  /** Marker records (`marker: true`) with the right count of calls. */
  readonly markers: number;
}

/** Reads one logger's JSON lines back: every measured record by its `n`, the marker, the context fields. */
export function checkCallOutput(text: string, kind: CallKind, expected: number): CallOutputCheck {
  const seen = new Set<number>();
  let duplicated = 0;
  let torn = 0;
  let written = 0;
  let missingContext = 0;
  let markers = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    let record: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(line);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      record = parsed as Record<string, unknown>;
    } catch {
      torn += 1;
      continue;
    }
    if (record.marker === true) {
      if (record.calls === expected) markers += 1;
      continue;
    }
    const n = record.n;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > expected) {
      torn += 1;
      continue;
    }
    written += 1;
    if (seen.has(n)) duplicated += 1;
    else seen.add(n);
    if ((kind === 'context' || kind === 'child') && !Object.entries(REQUEST_FIELDS).every(([key, value]) => record[key] === value)) missingContext += 1;
  }
  return { distinct: seen.size, duplicated, torn, written, missingContext, markers };
}
