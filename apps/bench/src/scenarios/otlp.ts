/**
 * `otlp`: in-process producers log to an OTLP/HTTP (JSON) collector, the embedded receiver of
 * `@tributary/sink-otlp/receiver` in the same process. Tools: `@tributary/sink-otlp` behind a
 * listener, and the OpenTelemetry SDK's batch exporter (see `otlp-sdk.ts`), sized for the run and
 * as it comes. Each tool gets a fresh receiver; what it accepted is read back and every producer's
 * sequence checked. Rounds alternate which tool goes first.
 */
import { QueueListener } from '@tributary/core';
import { checkOutput } from '@tributary/core/testing';
import { otlpSink } from '@tributary/sink-otlp';
import { createReceiver } from '@tributary/sink-otlp/receiver';
import type { BenchResult, Scenario, ScenarioOptions } from '../scenario.ts';
import { sdkRoute } from './otlp-sdk.ts';
import type { SdkSetup } from './otlp-sdk.ts';
import { logOtlpWorkload } from './otlp-workload.ts';
import type { OtlpWorkloadLogger } from './otlp-workload.ts';

const LABELS = {
  tributary: '@tributary/sink-otlp (listener)',
  'otel-sdk': 'OTel SDK batch exporter, sized',
  'otel-sdk-defaults': 'OTel SDK batch exporter, defaults',
} as const;
type Tool = keyof typeof LABELS;
const TOOLS = Object.keys(LABELS) as Tool[];

/** Rounds run so far in this process: odd rounds start with Tributary, even ones with the SDK. */
let roundsRun = 0;

export const otlpScenario: Scenario = {
  name: 'otlp',
  description:
    'in-process producers → OTLP/HTTP JSON → embedded receiver: @tributary/sink-otlp against the OpenTelemetry SDK batch exporter; every record checked',
  defaults: { records: 25_000, producers: 4 },
  async run(options) {
    for (const tool of options.tools) if (!(tool in LABELS)) throw new Error(`otlp: unknown tool ${tool}; known: ${TOOLS.join(', ')}`);
    const chosen = options.tools.length === 0 ? TOOLS : TOOLS.filter((tool) => options.tools.includes(tool));
    roundsRun += 1;
    const order = roundsRun % 2 === 1 ? chosen : [...chosen].reverse();
    const results: BenchResult[] = [];
    for (const tool of order) results.push(await runTool(tool, options));
    return results;
  },
};

async function runTool(tool: Tool, options: ScenarioOptions): Promise<BenchResult> {
  const receiver = await createReceiver();
  const records = options.records * options.producers;
  try {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let nsPerCall: number;
    let note: string;
    if (tool === 'tributary') {
      const listener = new QueueListener({ sinks: [otlpSink({ endpoint: receiver.url, env: () => undefined, resource: { 'service.name': 'bench' } })] });
      const loggers = Array.from({ length: options.producers }, (_, index): OtlpWorkloadLogger => {
        const logger = listener.logger({ producer: `p${index + 1}`, name: 'bench' });
        return { producer: `p${index + 1}`, info: (_seq, msg, fields) => logger.info(msg, fields) };
      });
      nsPerCall = await logOtlpWorkload(loggers, options.records);
      const summary = await listener.stop();
      note = `listener: received ${summary.received}, reported lost ${summary.lost}${summary.timedOut ? ', stop TIMED OUT' : ''}`;
    } else {
      const setup: SdkSetup = tool === 'otel-sdk' ? 'sized' : 'defaults';
      const route = sdkRoute(receiver.url, options.producers, records, setup);
      nsPerCall = await logOtlpWorkload(route.loggers, options.records);
      await route.end();
      note =
        setup === 'sized' ? `maxQueueSize ${records}, maxExportBatchSize 512; forceFlush + shutdown` : 'maxQueueSize 2048 (default); forceFlush + shutdown';
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const checked = verify(tool, receiver.lines(), options);
    const problems = checked.note === undefined ? '' : `${checked.note}; `;
    return { ...checked, seconds, nsPerCall, note: `${problems}${note}; ${receiverNote(receiver.requests)}; ${cpuNote(cpu, records)}` };
  } finally {
    await receiver.close();
  }
}

/**
 * Reads what the receiver accepted as the Tributary lines the records stand for (both tools send
 * `producer` and `seq` attributes). Tributary's records count only for a producer whose sequence
 * arrived complete, once and in order; the SDK's, every distinct record that arrived (it promises
 * no order), its losses being what the comparison is about.
 */
function verify(tool: Tool, lines: readonly string[], options: ScenarioOptions): Omit<BenchResult, 'seconds'> {
  const check = checkOutput(lines);
  const records = options.records * options.producers;
  let verified = 0;
  let strangers = check.records;
  for (let index = 1; index <= options.producers; index++) {
    const producer = check.producers.get(`p${index}`);
    if (producer === undefined) continue;
    strangers -= producer.count + producer.duplicated;
    const inOrder = producer.missing === 0 && producer.duplicated === 0 && producer.outOfOrder === 0;
    if (tool !== 'tributary' || inOrder) verified += Math.min(producer.count, options.records);
  }
  const problems = [
    check.duplicated > 0 ? `${check.duplicated} duplicated` : '',
    check.outOfOrder > 0 ? `${check.outOfOrder} out of order` : '',
    strangers > 0 ? `${strangers} records of no producer` : '',
    tool !== 'tributary' && verified < records ? `${records - verified} never arrived, no error raised` : '',
  ].filter((text) => text !== '');
  return {
    scenario: 'otlp',
    tool: LABELS[tool],
    ...(tool === 'tributary' ? { comparedWith: LABELS['otel-sdk'] } : {}),
    records,
    verified,
    torn: check.torn + strangers,
    lost: records - verified,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    ...(problems.length > 0 ? { note: problems.join(', ') } : {}),
  };
}

function receiverNote(requests: readonly { records: number; status: number }[]): string {
  const ok = requests.filter((request) => request.status >= 200 && request.status < 300);
  const biggest = Math.max(0, ...ok.map((request) => request.records));
  return `${ok.length} requests of up to ${biggest} records`;
}

/** CPU of the whole process (producers, exporter and receiver alike) per record, in µs. */
function cpuNote(cpu: NodeJS.CpuUsage, records: number): string {
  return `${((cpu.user + cpu.system) / records).toFixed(1)} µs CPU per record (receiver included)`;
}
