/**
 * The producer of the `processes-to-file` scenario, run as a forked child:
 * `processes-child.js <tool> <records> [producer]` (the producer id only for `limit`). It waits for the parent's `go`, logs its records (yielding to
 * the event loop every 1,000 records, as a server would between requests, and waiting while more
 * than 4 MiB are unacknowledged), reports its CPU time per log call, then exits.
 */
import { connectToParent, parentConnectionStats } from '@tributary/node-child-process';
import { LimitLines, LineBatcher } from './limit-line.ts';

const [tool = 'tributary-batched', recordsText = '0', producerId = 'p1'] = process.argv.slice(2);
const records = Number(recordsText);
const YIELD_EVERY = 1_000;
const BACKLOG_BYTES = 4 * 1024 * 1024;
const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function tributary(delivery: 'batched' | 'sync'): Promise<void> {
  const log = connectToParent({ name: 'bench', delivery });
  await go();
  const cpuBefore = process.cpuUsage();
  for (let index = 1; index <= records; index++) {
    log.info('bench record', { index, user: 'u-42', path: '/api/items', ms: 12.5 });
    if (index % YIELD_EVERY === 0) {
      // Backpressure, as the IPC loop waits for its send callbacks: a log call never blocks, so a
      // producer far ahead of the listener waits for acknowledgements instead of having records dropped.
      await pause();
      while ((parentConnectionStats()?.queuedChars ?? 0) > BACKLOG_BYTES) await sleep(1);
    }
  }
  // CPU time, not wall time: the figure stays meaningful on a machine busy with other work.
  const cpu = process.cpuUsage(cpuBefore);
  process.send?.({ nsPerCall: ((cpu.user + cpu.system) * 1_000) / Math.max(1, records) });
  await log.flush();
}

/**
 * The honest limit over IPC: Tributary's line (see `limit-line.ts`), ONE string per 256 lines per
 * `process.send`, yielding every 1,000 records and then waiting while more than 4 MiB are sent but
 * not yet handed to the channel: the same back-pressure rule as the Tributary rows above.
 */
async function limit(): Promise<void> {
  await go();
  const lines = new LimitLines({ logger: 'bench', producer: producerId, pid: process.pid });
  let unsentChars = 0;
  const waiters: (() => void)[] = [];
  const batcher = new LineBatcher((text) => {
    unsentChars += text.length;
    process.send?.(text, undefined, {}, () => {
      unsentChars -= text.length;
      waiters.shift()?.();
    });
  });
  for (let index = 1; index <= records; index++) {
    batcher.add(lines.line('bench record', index, { index, user: 'u-42', path: '/api/items', ms: 12.5 }));
    if (index % YIELD_EVERY === 0) {
      await pause();
      while (unsentChars > BACKLOG_BYTES) await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  batcher.flush();
  while (unsentChars > 0) await new Promise<void>((resolve) => waiters.push(resolve));
  process.disconnect();
}

/** The bench's first IPC loop: JSON lines batched 256 per `process.send` (an array of strings), the usual way to send lines over IPC by hand. */
async function ipc(): Promise<void> {
  await go();
  const producer = `ipc-${process.pid}`;
  let batch: string[] = [];
  const send = (): Promise<void> => {
    const lines = batch;
    batch = [];
    return new Promise((resolve) => process.send?.(lines, undefined, {}, () => resolve()));
  };
  for (let index = 1; index <= records; index++) {
    batch.push(
      JSON.stringify({
        time: new Date().toISOString(),
        level: 'info',
        msg: 'bench record',
        logger: 'bench',
        producer,
        seq: index,
        pid: process.pid,
        index,
        user: 'u-42',
        path: '/api/items',
        ms: 12.5,
      }),
    );
    if (batch.length === 256) {
      const sent = send();
      if (index % YIELD_EVERY < 256) await sent;
    }
    if (index % YIELD_EVERY === 0) await pause();
  }
  if (batch.length > 0) await send();
  process.disconnect();
}

function go(): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send?.('ready');
  });
}

if (tool === 'ipc') await ipc();
else if (tool === 'limit') await limit();
else await tributary(tool === 'tributary-sync' ? 'sync' : 'batched');
