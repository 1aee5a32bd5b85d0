/**
 * One tool of the `main-thread-burst` scenario, in a process of its own (so that its peak RSS is its
 * own): `main-thread-burst-child.js <tool> <records> <file>`. Logs `records` records on the main
 * thread in one loop that never yields, ends the tool its documented way, and prints one JSON line:
 * the wall time until the end resolved, the loop's own time, the peak RSS and, for Tributary, the
 * listener's summary counts.
 */
import { QueueListener } from '@tributary/core';
import { fileSink } from '@tributary/sink-file';
import { pinoLogger } from './call-cost-loggers.ts';
import { pinoPeer } from './peers/pino.ts';

const [tool = 'tributary', recordsText = '0', file = ''] = process.argv.slice(2);
const records = Number(recordsText);

/** What every tool gives the loop: one call, and the documented end. */
interface BurstLogger {
  info(n: number): void;
  end(): Promise<Record<string, number | boolean>>;
}

async function setUp(): Promise<BurstLogger> {
  if (tool === 'tributary') {
    // Defaults throughout: the listener's per-sink queue, the file sink's options, the logger's.
    const listener = new QueueListener({ sinks: [fileSink({ path: file })] });
    const log = listener.logger({ name: 'bench' });
    return {
      info: (n) => log.info('request handled', { n, user: 'alice', path: '/api/items', status: 200 }),
      async end() {
        const summary = await listener.stop();
        return { received: summary.received, dropped: summary.dropped, lost: summary.lost, failed: summary.failed, complete: summary.complete };
      },
    };
  }
  if (tool === 'pino') {
    const log = await pinoLogger('enabled', file);
    return { info: (n) => log.call({ n, user: 'alice', path: '/api/items', status: 200 }), end: () => log.end().then(() => ({})) };
  }
  if (tool === 'pino-transport') {
    const { log, finish } = await pinoPeer({ tool, records, file, producer: 'main' });
    return { info: (n) => log.info({ n, user: 'alice', path: '/api/items', status: 200 }, 'request handled'), end: () => keptAlive(finish()) };
  }
  throw new Error(`main-thread-burst: unknown tool ${tool}`);
}

/** How long the transport may take to close before the run is reported as timed out. */
const CLOSE_TIMEOUT_MS = 120_000;

/**
 * Waits for `closing` with a timer that keeps the event loop alive: pino's transport thread does
 * not (it is unref'ed), so on the main thread the process would otherwise end before its `close`.
 */
function keptAlive(closing: Promise<void>): Promise<Record<string, boolean>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), CLOSE_TIMEOUT_MS);
  });
  return Promise.race([closing.then(() => false), timedOut]).then((late) => {
    clearTimeout(timer);
    return late ? { timedOut: true } : {};
  });
}

const logger = await setUp();
const started = performance.now();
for (let n = 1; n <= records; n++) logger.info(n);
const loopSeconds = (performance.now() - started) / 1000;
const counts = await logger.end();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ seconds, loopSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, ...counts }));
