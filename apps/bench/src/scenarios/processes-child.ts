/**
 * The producer of the `processes-to-file` scenario, run as a forked child:
 * `processes-child.js <tool> <records>`. It waits for the parent's `go`, logs its records (yielding to
 * the event loop every 1,000 records, as a server would between requests), then exits.
 */
import { connectToParent } from '@tributary/node-child-process';

const [tool = 'tributary-batched', recordsText = '0'] = process.argv.slice(2);
const records = Number(recordsText);
const YIELD_EVERY = 1_000;
const pause = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function tributary(delivery: 'batched' | 'sync'): Promise<void> {
  const log = connectToParent({ name: 'bench', delivery });
  await go();
  for (let index = 1; index <= records; index++) {
    log.info('bench record', { index, user: 'u-42', path: '/api/items', ms: 12.5 });
    if (index % YIELD_EVERY === 0) await pause();
  }
  await log.flush();
}

/** The hand-written IPC loop: JSON lines batched 256 per `process.send`, as PRIOR-ART measured it. */
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
      JSON.stringify({ time: new Date().toISOString(), level: 'info', msg: 'bench record', logger: 'bench', producer, seq: index, pid: process.pid, index, user: 'u-42', path: '/api/items', ms: 12.5 }),
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

await (tool === 'ipc' ? ipc() : tributary(tool === 'tributary-sync' ? 'sync' : 'batched'));
