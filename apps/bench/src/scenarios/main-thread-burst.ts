/**
 * `main-thread-burst`: R records logged on the main thread in one loop that never yields (issue 19's
 * tight loop, default 500,000), each tool with its default options and its documented end, each in
 * a fresh Node process; then the file is read back. Tools: `tributary` (a `QueueListener` with
 * `@tributary/sink-file`, all defaults), `pino` (`pino.destination(path)`, asynchronous SonicBoom)
 * and `pino-transport` (`pino.transport({ target: 'pino/file' })`). What a tool drops shows as lost;
 * Tributary's own count of it (`tributary.dropped`) is in the note.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitLines } from '@tributary/core/testing';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';

const TOOLS = ['tributary', 'pino', 'pino-transport'] as const;
// The built script, whether this module runs built (dist/scenarios) or from source (src/scenarios, in tests).
const childScript = fileURLToPath(new URL('../../dist/scenarios/main-thread-burst-child.js', import.meta.url));

export const mainThreadBurst: Scenario = {
  name: 'main-thread-burst',
  description: 'one loop that never yields logs R records on the main thread, default options; dropped records and peak RSS',
  defaults: { records: 500_000, producers: 1 },
  async run(options: ScenarioOptions): Promise<BenchResult[]> {
    if (options.producers !== 1) throw new Error('main-thread-burst: one producer only (the main thread)');
    const tools = options.tools.length === 0 ? TOOLS : options.tools;
    return tools.map((tool) => runTool(tool, options));
  },
};

/** What the read-back found: distinct `n` of the burst's records, torn lines, Tributary's notices. */
export function checkBurstOutput(text: string): { verified: number; torn: number; droppedReported: number } {
  const seen = new Set<number>();
  let torn = 0;
  let droppedReported = 0;
  for (const line of splitLines(text)) {
    let record: { msg?: unknown; n?: unknown; dropped?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      torn += 1;
      continue;
    }
    if (record.msg === 'tributary.dropped' && typeof record.dropped === 'number') droppedReported += record.dropped;
    else if (record.msg === 'request handled' && typeof record.n === 'number') seen.add(record.n);
    else if (typeof record.msg !== 'string' || !record.msg.startsWith('tributary.')) torn += 1;
  }
  return { verified: seen.size, torn, droppedReported };
}

function runTool(tool: string, options: ScenarioOptions): BenchResult {
  if (!(TOOLS as readonly string[]).includes(tool)) throw new Error(`main-thread-burst: unknown tool ${tool}; known: ${TOOLS.join(', ')}`);
  const file = join(options.outDir, `${tool}.jsonl`);
  const child = spawnSync(process.execPath, [childScript, tool, String(options.records), file], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`main-thread-burst: ${tool} exited with ${child.status ?? child.signal}: ${child.stderr}`);
  const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as {
    seconds: number;
    loopSeconds: number;
    peakRssMiB: number;
    dropped?: number;
    received?: number;
    complete?: boolean;
    timedOut?: boolean;
  };
  const check = checkBurstOutput(readFileSync(file, 'utf8'));
  const notes = [`loop ${report.loopSeconds.toFixed(2)} s`];
  if (report.timedOut === true) notes.push('TIMED OUT waiting for the transport to close');
  if (report.dropped !== undefined)
    notes.push(
      `listener: received ${report.received}, dropped ${report.dropped}, complete ${report.complete}; the file's tributary.dropped records count ${check.droppedReported}`,
    );
  return {
    scenario: 'main-thread-burst',
    tool: tool === 'tributary' ? 'tributary (defaults)' : tool === 'pino' ? 'pino.destination (defaults)' : 'pino.transport pino/file',
    records: options.records,
    verified: check.verified,
    torn: check.torn,
    lost: options.records - check.verified,
    seconds: report.seconds,
    nsPerCall: (report.loopSeconds * 1e9) / options.records,
    peakRssMiB: report.peakRssMiB,
    note: notes.join('; '),
  };
}
