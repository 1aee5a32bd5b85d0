import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOutput, splitLines } from '@tributary/core/testing';
import { sampleLine } from '../line-shape.ts';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';
import type { ThreadCpu } from './thread-cpu.ts';

const RUNTIMES = ['deno', 'bun'] as const;
/** Output read back at most, in bytes (one string holds at most about 512 Mi characters). */
const MAX_CHECKED_BYTES = 480 * 2 ** 20;
type Runtime = (typeof RUNTIMES)[number];
/**
 * `deno`, `bun`: Tributary; `deno-limit`, `bun-limit`: the honest limit (one string per 256 lines),
 * which Tributary's ratio is taken against; `deno-old-loop`, `bun-old-loop`: the bench's first loop
 * (arrays of strings). The limit runs right before the tool it is compared with, so both see the
 * machine in the same state.
 */
const TOOLS = ['deno-old-loop', 'deno-limit', 'deno', 'bun-old-loop', 'bun-limit', 'bun'] as const;
type Loop = 'limit' | 'old-loop';
const LOOP_LABELS: Readonly<Record<Loop, string>> = { limit: 'limit loop (one string per 256 lines)', 'old-loop': 'old loop (string[] per postMessage)' };

/** What threads-deno-bun-main prints. */
interface RuntimeReport {
  readonly seconds: number;
  readonly nsPerCall: number;
  readonly received: number;
  readonly lost: number;
  readonly peakRssMiB: number;
  /** CPU seconds while the clock ran, by kind of thread (Linux only). */
  readonly cpu?: ThreadCpu;
}

// The built script, whether this module runs built (dist/scenarios) or from source (src/scenarios, in tests).
const mainScript = fileURLToPath(new URL('../../dist/scenarios/threads-deno-bun-main.js', import.meta.url));
const repositoryRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');

/**
 * `threads-deno-bun`: the threads workload on Deno and Bun. Each runtime runs the listener (with
 * @tributary/sink-file) on its own main thread and N Web Workers started by @tributary/deno-worker
 * or @tributary/bun-worker; the binaries are the npm devDependencies. Every line is read back here
 * and checked. Tools: `deno`, `bun`, the honest limits `deno-limit`, `bun-limit` and the bench's
 * first loops `deno-old-loop`, `bun-old-loop` (default: all six). Each worker first logs `warmup` records (default 250,000:
 * one untimed run of the default workload; `--warmup 0` measures a cold start), which are written
 * and confirmed before the clock starts: Bun and Deno compile each worker's hot code on their own,
 * and a short run on two cores otherwise measures much of that compilation (see the bench README).
 */
export const threadsDenoBun: Scenario = {
  name: 'threads-deno-bun',
  description: "Deno and Bun Web Workers log JSON records to one file through one listener on the runtime's main thread; every line verified",
  defaults: { records: 250_000, producers: 4, warmup: 250_000 },
  async run(options: ScenarioOptions): Promise<BenchResult[]> {
    const tools = options.tools.length === 0 ? TOOLS : options.tools;
    const results: BenchResult[] = [];
    for (const tool of tools) {
      if (!(TOOLS as readonly string[]).includes(tool)) throw new Error(`threads-deno-bun: unknown tool ${tool}; known: ${TOOLS.join(', ')}`);
      const dash = tool.indexOf('-');
      const runtime = (dash < 0 ? tool : tool.slice(0, dash)) as Runtime;
      results.push(runOn(runtime, dash < 0 ? undefined : (tool.slice(dash + 1) as Loop), options));
    }
    return results;
  },
};

function runOn(runtime: Runtime, loop: Loop | undefined, options: ScenarioOptions): BenchResult {
  const file = join(options.outDir, `${runtime}${loop === undefined ? '' : `-${loop}`}.jsonl`);
  const job = JSON.stringify({ records: options.records, warmup: options.warmup, producers: options.producers, file, ...(loop === undefined ? {} : { loop }) });
  const binary = join(repositoryRoot, 'node_modules', '.bin', runtime);
  const args = runtime === 'deno' ? ['run', '-A', mainScript, job] : [mainScript, job];
  const child = spawnSync(binary, args, { cwd: repositoryRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`threads-deno-bun: ${runtime} exited with ${child.status ?? child.signal}: ${child.stderr}`);
  const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as RuntimeReport;
  const size = statSync(file).size;
  if (size > MAX_CHECKED_BYTES) {
    throw new Error(
      `threads-deno-bun: ${runtime}'s output (${Math.round(size / 2 ** 20)} MiB) is too large to read back in one piece; use fewer --records or a smaller --warmup`,
    );
  }
  const text = readFileSync(file, 'utf8');
  const check = checkOutput(splitLines(text));
  const line = sampleLine(text, 'w1');
  let verified = 0;
  for (let index = 1; index <= options.producers; index++) {
    const producer = check.producers.get(`w${index}`);
    // The file holds the warm-up's records too (each producer's first ones): they are checked, not counted.
    if (producer !== undefined && producer.missing === 0 && producer.duplicated === 0 && producer.outOfOrder === 0)
      verified += Math.max(0, producer.count - options.warmup);
  }
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]?.trim() ?? runtime;
  const limitLabel = `${runtime} ${LOOP_LABELS.limit}`;
  return {
    scenario: 'threads-deno-bun',
    tool: loop === undefined ? `tributary (${runtime}-worker ring)` : `${runtime} ${LOOP_LABELS[loop]}`,
    ...(loop === undefined ? { comparedWith: limitLabel } : {}),
    records: options.producers * options.records,
    verified,
    torn: check.torn,
    lost: options.producers * options.records - verified,
    seconds: report.seconds,
    nsPerCall: report.nsPerCall,
    peakRssMiB: report.peakRssMiB,
    note: [
      version,
      loop === 'limit'
        ? "plain Workers, Tributary's line by Date.now() + JSON.stringify + concatenation, one string per 256 lines per postMessage, writeSync per message"
        : loop === 'old-loop'
          ? 'plain Workers, JSON.stringify with toISOString per record, an array of 256 lines per postMessage, join + writeSync per message'
          : `listener received ${report.received}, reported lost ${report.lost}; sink-file on the ${runtime} main thread; ns/call = mean of the workers' logging loops`,
      warmupNote(options),
      ...cpuNote(runtime, report.cpu),
    ].join('; '),
    ...(line === undefined ? {} : { sampleLine: line }),
  };
}

function warmupNote(options: ScenarioOptions): string {
  return options.warmup === 0
    ? 'cold start (no warm-up)'
    : `timed after a warm-up of ${options.warmup.toLocaleString('en-US')} records per worker (written and checked, not counted)`;
}

/** The CPU by kind of thread, as a note (none where it could not be read). */
function cpuNote(runtime: Runtime, cpu: ThreadCpu | undefined): string[] {
  if (cpu === undefined) return [];
  const compiler = runtime === 'bun' ? 'JIT compiler threads' : 'V8 background threads (compiler, GC)';
  return [`CPU while timed: ${cpu.process.toFixed(2)} s in all, main thread ${cpu.main.toFixed(2)} s, ${compiler} ${cpu.compiler.toFixed(2)} s`];
}
